/**
 * Bounded concurrency for file work: a tree can hold thousands of files, and starting every
 * read or write at once would run out of file descriptors (EMFILE) long before it ran faster.
 */
import { mapConcurrent } from "../concurrency.js";

/** How many file operations run at once; disks and libuv's thread pool gain little beyond this. */
const FILE_CONCURRENCY = 16;

/**
 * `task` over `items`, at most `FILE_CONCURRENCY` at a time, results in the order of `items`;
 * after the first failure no new item is started, and it is rethrown once every started task
 * has settled (see `mapConcurrent`).
 */
export function mapLimit<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  return mapConcurrent(items, FILE_CONCURRENCY, (item) => task(item));
}
