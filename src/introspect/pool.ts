/**
 * Runs `work` on every item with at most `limit` running at once, and returns the results in
 * the order of `items`. `work` is expected not to reject (callers catch per item); if it does,
 * the first rejection is passed on once the running items have settled.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  for (const outcome of settled) {
    if (outcome.status === "rejected") throw outcome.reason;
  }
  return results;
}
