/**
 * Bounded concurrency for file work: a tree can hold thousands of files, and starting every
 * read or write at once would run out of file descriptors (EMFILE) long before it ran faster.
 */

/** How many file operations run at once; disks and libuv's thread pool gain little beyond this. */
const FILE_CONCURRENCY = 16;

/**
 * `task` over `items`, at most `FILE_CONCURRENCY` at a time, results in the order of `items`.
 * Items are started in order. After the first failure no new item is started, and the failure is
 * rethrown only once every started task has settled, so nothing is still writing when the
 * caller moves on (or exits).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CONCURRENCY, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
