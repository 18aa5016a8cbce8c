/**
 * Splits a server's stdout into lines (one JSON-RPC message each) without ever holding more of a
 * line than a limit allows. Replaces the SDK's `ReadBuffer`, which concatenates its whole buffer
 * with every chunk (quadratic: a multi-megabyte line costs seconds) and throws once 10 MiB are
 * buffered, after which the stream cannot be resynchronised and the connection is lost.
 *
 * Here a line is kept as a list of chunks and joined once, at its end. A line that grows past
 * the limit is dropped as it streams in: only its first and last bytes are kept (enough to find
 * the JSON-RPC id, which the SDK's servers write last), and reading goes on with the next line.
 */

/** How many bytes of an oversized line's start and end are kept. */
const KEEP = 512;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const EMPTY = Buffer.alloc(0);

/** What is left of a line that was dropped for its size. */
export interface OversizedLine {
  readonly bytes: number;
  readonly head: Buffer;
  readonly tail: Buffer;
}

export class LineReader {
  private readonly limit: number;
  private readonly onLine: (line: Buffer) => void;
  private readonly onOversized: (line: OversizedLine) => void;
  private parts: Buffer[] = [];
  private bytes = 0;
  private dropping = false;
  private head = EMPTY;
  private tail = EMPTY;

  /** Lines longer than `limit` bytes go to `onOversized`, the others to `onLine`. */
  constructor(
    limit: number,
    onLine: (line: Buffer) => void,
    onOversized: (line: OversizedLine) => void,
  ) {
    this.limit = limit;
    this.onLine = onLine;
    this.onOversized = onOversized;
  }

  /** Feeds a chunk; calls back once for every line it completes. */
  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        if (start < chunk.length) this.add(chunk.subarray(start));
        return;
      }
      if (end > start) this.add(chunk.subarray(start, end));
      this.finish();
      start = end + 1;
    }
  }

  /** Forgets a partial line (the stream ended). */
  clear(): void {
    this.reset();
  }

  private add(piece: Buffer): void {
    this.bytes += piece.length;
    if (this.dropping) {
      this.keepTail(piece);
      return;
    }
    this.parts.push(piece);
    if (this.bytes > this.limit) this.startDropping();
  }

  private startDropping(): void {
    const first = this.parts[0] ?? EMPTY;
    const start = first.length >= KEEP ? first : Buffer.concat(this.parts);
    // Copies: a subarray would keep the whole chunk it came from alive.
    this.head = Buffer.from(start.subarray(0, KEEP));
    const last: Buffer[] = [];
    let size = 0;
    for (let i = this.parts.length - 1; i >= 0 && size < KEEP; i -= 1) {
      last.unshift(this.parts[i]!);
      size += this.parts[i]!.length;
    }
    this.tail = EMPTY;
    this.keepTail(Buffer.concat(last, size));
    this.parts = [];
    this.dropping = true;
  }

  private keepTail(piece: Buffer): void {
    const joined = piece.length >= KEEP ? piece : Buffer.concat([this.tail, piece]);
    this.tail = Buffer.from(joined.subarray(Math.max(joined.length - KEEP, 0)));
  }

  private finish(): void {
    if (this.dropping) {
      this.onOversized({ bytes: this.bytes, head: this.head, tail: trimEnd(this.tail) });
    } else if (this.bytes > 0) {
      const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.bytes);
      const trimmed = trimEnd(line);
      if (trimmed.length > 0) this.onLine(trimmed);
    }
    this.reset();
  }

  private reset(): void {
    this.parts = [];
    this.bytes = 0;
    this.dropping = false;
    this.head = EMPTY;
    this.tail = EMPTY;
  }
}

/** The line without the `\r` of a CRLF ending. */
function trimEnd(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
}
