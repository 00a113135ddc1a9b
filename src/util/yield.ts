/**
 * Cooperative yielding for long synchronous work: while a batch is folded and formatted, the commit
 * of the previous batch runs on the same event loop (see PipelinedDatabase), and each of its
 * statements can only be sent once the loop is free. `maybeYield()` gives the loop a turn after
 * about `sliceMs` of uninterrupted work.
 */
export function createYielder(sliceMs = 3): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        last = performance.now();
        resolve();
      }),
    );
  };
}
