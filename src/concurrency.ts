/**
 * Bounded concurrency, one implementation for every phase: the writer's file operations (see
 * `write/limit.ts`) and introspection's servers.
 */

/**
 * `work` over `items`, at most `limit` at a time (at least one), results in the order of
 * `items`. Items are started in order. After the first failure no new item is started, and the
 * failure is rethrown only once every started item has settled, so nothing is still running
 * when the caller moves on (or exits).
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
