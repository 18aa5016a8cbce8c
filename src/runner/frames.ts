/**
 * The framing of the channel between a sandboxed program and its host: each message is a
 * 4-byte big-endian length, then that many bytes of UTF-8 JSON. The reader never holds more
 * than one message of at most `maxBytes`: a longer one, or one that is not JSON, is a
 * violation reported once, after which the rest of the stream is ignored.
 *
 * Both functions are also copied, as source text, into the sandbox's bootstrap: they must use
 * nothing from outside their own bodies but `Buffer` and `JSON`.
 */

/** Most a program may send in one message (a tool call's input): 16 MiB. */
export const MAX_PROGRAM_MESSAGE_BYTES = 16 * 1024 * 1024;

/** One message as a frame. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** A function to feed the stream's chunks to; calls `onMessage` with each whole message. */
export function frameDecoder(
  maxBytes: number,
  onMessage: (message: unknown) => void,
  onViolation: (problem: string) => void,
): (chunk: Buffer) => void {
  let chunks: Buffer[] = [];
  let buffered = 0;
  let need = -1;
  let failed = false;
  const take = (n: number): Buffer => {
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
    const rest = all.subarray(n);
    chunks = rest.length > 0 ? [rest] : [];
    buffered = rest.length;
    return all.subarray(0, n);
  };
  const fail = (problem: string) => {
    failed = true;
    chunks = [];
    onViolation(problem);
  };
  return (chunk) => {
    if (failed) return;
    chunks.push(chunk);
    buffered += chunk.length;
    while (!failed) {
      if (need < 0) {
        if (buffered < 4) return;
        need = take(4).readUInt32BE(0);
        if (need > maxBytes) {
          return fail(`a message of ${need} bytes, over the limit of ${maxBytes}`);
        }
      }
      if (buffered < need) return;
      const body = take(need);
      need = -1;
      let message: unknown;
      try {
        message = JSON.parse(body.toString("utf8"));
      } catch {
        return fail("a message that is not JSON");
      }
      onMessage(message);
    }
  };
}
