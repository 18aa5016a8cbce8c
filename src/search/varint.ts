/**
 * Unsigned integers as LEB128 varints: seven bits a byte, low bits first, the high bit saying
 * that more follow. The search index's postings are mostly small numbers (gaps between tool
 * positions, counts of 1), which take one byte each this way. Reading is for untrusted bytes:
 * past the end, longer than five bytes or above `MAX_VARINT` is a `VarintError`, never a
 * wrong number.
 */

/** The largest number written or read: every count and position of an index fits in it. */
const MAX_VARINT = 2 ** 31 - 1;

/** Bytes that do not hold what a reader asked for. */
export class VarintError extends Error {}

/** Collects varints into bytes. */
export class VarintWriter {
  private bytes = new Uint8Array(1024);
  private length = 0;

  write(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > MAX_VARINT) {
      throw new RangeError(`${value} is not a varint's value`);
    }
    if (this.length + 5 > this.bytes.length) this.grow();
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.length++] = rest;
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private grow(): void {
    const bigger = new Uint8Array(this.bytes.length * 2);
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }
}

/** Reads varints from `bytes`, from `position` on. */
export class VarintReader {
  constructor(
    private readonly bytes: Uint8Array,
    public position = 0,
  ) {}

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  read(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      if (this.position >= this.bytes.length)
        throw new VarintError("the bytes end inside a number");
      const byte = this.bytes[this.position++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value > MAX_VARINT) throw new VarintError("a number is too large");
        return value;
      }
      scale *= 0x80;
    }
    throw new VarintError("a number is longer than five bytes");
  }
}
