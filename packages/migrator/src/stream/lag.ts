/** Source-commit-to-target-commit lag per transaction, in ms, over the last `size` transactions. */
export function lagRecorder(size = 10_000) {
  const samples: number[] = [];
  let next = 0;
  return {
    record(commitTimeUs: bigint, appliedAtMs: number) {
      const lag = appliedAtMs - Number(commitTimeUs / 1000n);
      if (samples.length < size) samples.push(lag);
      else samples[next] = lag;
      next = (next + 1) % size;
    },
    /** The q-quantile (0.99 for p99) of the recorded lags; null before any. */
    quantile(q: number): number | null {
      if (samples.length === 0) return null;
      const sorted = [...samples].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
    },
    get count() {
      return samples.length;
    },
  };
}
export type LagRecorder = ReturnType<typeof lagRecorder>;
