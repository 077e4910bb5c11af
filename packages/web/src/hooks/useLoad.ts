import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (next: T) => void;
}

/** Runs an async loader when `deps` change; a late answer for old deps is dropped. */
export function useLoad<T>(loader: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const run = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load again
  useEffect(() => {
    const mine = ++run.current;
    setLoading(true);
    setError(undefined);
    loader().then(
      (d) => {
        if (run.current !== mine) return;
        setData(d);
        setLoading(false);
      },
      (e: unknown) => {
        if (run.current !== mine) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return { data, error, loading, reload, setData };
}
