/** The last `size` bytes of a stream, as text. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private length = 0;
  constructor(private readonly size: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.length - this.chunks[0]!.length >= this.size) {
      this.length -= this.chunks.shift()!.length;
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}
