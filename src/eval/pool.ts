/**
 * Runs `work` on every item with at most `concurrency` at a time, in order of the list. Once `signal`
 * aborts, no new item starts; the ones running finish (their own cancellation is theirs to handle).
 */
export async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
