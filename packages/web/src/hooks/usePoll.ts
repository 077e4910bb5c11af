import { useEffect, useRef } from "react";

/** Calls `tick` every `ms` while `active` (at once too, if `immediate`); one call at a time, never after unmount. */
export function usePoll(tick: () => Promise<unknown> | undefined, ms: number, active = true, immediate = false) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const loop = async () => {
      try {
        await latest.current();
      } catch {
        // A failed poll is retried on the next tick.
      }
      if (!stopped) timer = setTimeout(loop, ms);
    };
    timer = setTimeout(loop, immediate ? 0 : ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, active, immediate]);
}
