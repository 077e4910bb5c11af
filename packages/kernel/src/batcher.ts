/**
 * Coalesces concurrent calls into batches: while `concurrency` batches are running, new items
 * wait and leave together in the next one. At low load a batch is a single item, so nothing
 * waits for a timer; under load one database transaction serves many callers.
 */
export function batcher<I, O>(
  run: (items: I[]) => Promise<O[]>,
  opts: { maxBatch: number; concurrency: number },
): (item: I) => Promise<O> {
  const queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let running = 0;

  function pump() {
    while (running < opts.concurrency && queue.length > 0) {
      const batch = queue.splice(0, opts.maxBatch);
      running++;
      run(batch.map((b) => b.item))
        .then(
          (outs) => {
            for (const [i, b] of batch.entries()) b.resolve(outs[i] as O);
          },
          (err) => {
            for (const b of batch) b.reject(err);
          },
        )
        .finally(() => {
          running--;
          pump();
        });
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
