/**
 * Copies a program's output to the runner's own, up to a byte limit; past it the rest is
 * counted and dropped, and `finish()` writes a marker saying how much was cut. The program is
 * not stopped for printing too much: its time limit bounds an endless printer.
 */
import type { Readable } from "node:stream";

export interface Sink {
  write(chunk: Uint8Array | string): unknown;
}

export class OutputLimit {
  private kept = 0;
  private cut = 0;
  private limit: number;
  private readonly sink: Sink;
  /** Whether the last byte kept was a newline (for where the marker goes). */
  private endsWithNewline = true;

  constructor(sink: Sink, limit: number) {
    this.sink = sink;
    this.limit = limit;
  }

  /** Sets the limit once the config has said it (bytes kept before count towards it). */
  setLimit(limit: number): void {
    this.limit = limit;
  }

  /**
   * Writes one of the runner's own closing lines (why the run stopped, what happened to the
   * workspace): short, of our own making, and written even past the limit so that the reason
   * is never cut. Anything a program can make long goes through `push` instead.
   */
  always(text: string): void {
    this.sink.write(text);
  }

  /** Forwards `stream` through the limit; resolves when it ends. */
  drain(stream: Readable): Promise<void> {
    stream.on("data", (chunk: Buffer) => this.push(chunk));
    return new Promise((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
      stream.once("error", () => resolve());
    });
  }

  push(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room >= chunk.length) {
      this.forward(chunk);
      return;
    }
    if (room > 0) {
      const end = utf8Boundary(chunk, room);
      this.forward(chunk.subarray(0, end));
      this.cut += chunk.length - end;
      this.kept = this.limit; // a partial character is dropped, not counted as room
      return;
    }
    this.cut += chunk.length;
  }

  private forward(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.kept += chunk.length;
    this.endsWithNewline = chunk[chunk.length - 1] === 0x0a;
    this.sink.write(chunk);
  }

  /** Bytes dropped so far. */
  get bytesCut(): number {
    return this.cut;
  }

  /** Writes the marker if anything was cut. */
  finish(what: string): void {
    if (this.cut === 0) return;
    this.sink.write(
      `${this.endsWithNewline ? "" : "\n"}[mcp-codegen run: ${what} truncated: ${this.cut} more bytes after the first ${this.kept} were cut (--max-output ${this.limit})]\n`,
    );
  }
}

/** The largest length ≤ `max` that does not end inside a UTF-8 character. */
function utf8Boundary(chunk: Buffer, max: number): number {
  let end = max;
  // Back up over continuation bytes (10xxxxxx) to the lead byte, and drop that character too
  // unless it is complete within `max`.
  let back = 0;
  while (end - back > 0 && back < 4 && (chunk[end - back - 1]! & 0xc0) === 0x80) back++;
  const lead = chunk[end - back - 1];
  if (lead === undefined) return end;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (size > 1 && back + 1 < size) end -= back + 1;
  return end;
}
