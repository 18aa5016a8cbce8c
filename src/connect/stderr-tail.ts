/**
 * Keeps the last bytes a server wrote to stderr. A crashing server explains itself there (the
 * SDK only reports "Connection closed"), and the pipe must be read continuously anyway: a server
 * that writes more than the pipe holds blocks on its next write if nobody reads.
 */
export class StderrTail {
  private readonly limit: number;
  private chunks: Buffer[] = [];
  private size = 0;

  /** @param limit how many of the most recent bytes to keep (default 8 KiB). */
  constructor(limit = 8 * 1024) {
    this.limit = limit;
  }

  /** Adds a chunk, dropping the oldest bytes beyond the limit. */
  push(chunk: Buffer): void {
    if (chunk.length >= this.limit) {
      this.chunks = [chunk.subarray(chunk.length - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Drop whole chunks from the front first; cut the last one that straddles the limit.
    while (this.size > this.limit) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** The kept bytes as text; a character cut in half at the start is dropped. */
  text(): string {
    const text = Buffer.concat(this.chunks, this.size).toString("utf8");
    return text.replace(/^\uFFFD+/, "");
  }
}
