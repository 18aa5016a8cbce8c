/**
 * What a program prints, made safe for the user's terminal: plain text, line breaks, tabs and
 * colour (SGR: `ESC [ … m`) pass; every other control sequence is removed. A program could
 * otherwise set the clipboard (OSC 52), the window title, move the cursor to rewrite what the
 * user reads, or query the terminal. Sequences split across chunks are handled; only output
 * to a terminal is filtered (a pipe gets the bytes as they are).
 */
import { StringDecoder } from "node:string_decoder";
import type { Sink } from "./output-limit.js";

const ESC = "\u001b";
const BEL = "\u0007";
/** Longest SGR sequence kept; a longer one is not colour. */
const MAX_SGR = 64;

type State = "text" | "escape" | "csi" | "string" | "string-escape";

export class TerminalText {
  private readonly decoder = new StringDecoder("utf8");
  private state: State = "text";
  private sequence = "";

  /** The safe text of `chunk` (part of a sequence may wait for the next chunk). */
  push(chunk: Uint8Array | string): string {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(Buffer.from(chunk));
    let out = "";
    for (const char of text) out += this.step(char);
    return out;
  }

  private step(char: string): string {
    const code = char.codePointAt(0)!;
    switch (this.state) {
      case "text":
        if (char === ESC) {
          this.state = "escape";
          return "";
        }
        if (char === "\n" || char === "\t" || char === "\r") return char;
        // C0 controls, DEL, and C1 controls (U+009B is CSI to some terminals).
        if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) return "";
        return char;
      case "escape":
        if (char === "[") {
          this.state = "csi";
          this.sequence = "";
        } else if ("]PX^_".includes(char)) {
          this.state = "string"; // OSC, DCS, SOS, PM, APC: up to BEL or ESC \
        } else {
          this.state = "text"; // a two-character escape: dropped
        }
        return "";
      case "csi":
        if (code >= 0x40 && code <= 0x7e) {
          this.state = "text";
          const keep = char === "m" && /^[0-9;:]*$/.test(this.sequence);
          return keep ? `${ESC}[${this.sequence}m` : "";
        }
        if (this.sequence.length < MAX_SGR) this.sequence += char;
        else this.sequence = "\u0000"; // too long to be colour; dropped at its end
        return "";
      case "string":
        if (char === BEL) this.state = "text";
        else if (char === ESC) this.state = "string-escape";
        return "";
      case "string-escape":
        this.state = char === "\\" ? "text" : "string";
        return "";
    }
  }
}

/** `stream` itself when it is not a terminal, else a sink that filters what is written. */
export function forTerminal(stream: NodeJS.WriteStream): Sink {
  if (!stream.isTTY) return stream;
  const filter = new TerminalText();
  return { write: (chunk) => stream.write(filter.push(chunk)) };
}
