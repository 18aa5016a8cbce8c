/**
 * What a program printed, as it goes back to the model: the first `budget` bytes of each
 * stream (cut on a character boundary, by the runner's own OutputLimit), and a marker giving
 * the full size when more was printed, so the model knows to print less rather than guess.
 */
import { OutputLimit, type Sink } from "../runner/output-limit.js";

export class CollectedOutput {
  private readonly chunks: Buffer[] = [];
  private readonly limit: OutputLimit;

  constructor(
    /** What the marker calls the stream: "output" or "error output". */
    private readonly what: string,
    private readonly budget: number,
  ) {
    this.limit = new OutputLimit({ write: (chunk) => this.keep(chunk) }, budget);
  }

  /** Where the run writes this stream. */
  readonly sink: Sink = {
    write: (chunk) =>
      this.limit.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk)),
  };

  /** The kept text, with the marker when bytes were cut. */
  text(): string {
    const kept = Buffer.concat(this.chunks).toString("utf8");
    const cut = this.limit.bytesCut;
    if (cut === 0) return kept;
    const keptBytes = Buffer.byteLength(kept);
    const newline = kept === "" || kept.endsWith("\n") ? "" : "\n";
    return `${kept}${newline}[${this.what} truncated: the program printed ${keptBytes + cut} bytes; only the first ${keptBytes} are shown (serve.maxOutput is ${this.budget}). Print less: a summary, a count, the lines that matter.]\n`;
  }

  private keep(chunk: Uint8Array | string): void {
    this.chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  }
}
