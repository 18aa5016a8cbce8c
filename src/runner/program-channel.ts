/**
 * The host's end of a sandboxed program's channel (descriptor 3 of the program, a socket pair
 * made by Node's spawn): framed JSON both ways (frames.ts). The first message is the
 * bootstrap's "ready"; later ones are the program's requests. Whatever arrives is untrusted:
 * a malformed or oversized message is reported once through `onViolation` and the rest of the
 * stream is dropped, so nothing the program sends can disturb the host.
 */
import type { Duplex } from "node:stream";
import { encodeFrame, frameDecoder, MAX_PROGRAM_MESSAGE_BYTES } from "./frames.js";

/** Bytes sent to the program and not yet read by it before the host holds back new work. */
const UNREAD_BYTES = 8 * 1024 * 1024;

export class ProgramChannel {
  /** Resolves when the bootstrap has said "ready" (its Node is up inside the sandbox). */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private isReady = false;
  private handler: ((message: unknown) => void) | undefined;
  private violationHandler: ((problem: string) => void) | undefined;
  private violation: string | undefined;

  constructor(private readonly socket: Duplex) {
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
    socket.on("error", () => {}); // the program's end closing is seen as its exit
    socket.on(
      "data",
      frameDecoder(
        MAX_PROGRAM_MESSAGE_BYTES,
        (message) => this.receive(message),
        (problem) => this.violate(problem),
      ),
    );
  }

  /** Sends one message to the program (dropped once its end is closed). */
  send(message: unknown): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encodeFrame(message));
  }

  /**
   * Resolves when the program has read what was sent to it, down to a few MiB: the host does
   * not start more work for a program that leaves its answers unread.
   */
  drained(): Promise<void> {
    if (this.socket.destroyed || this.socket.writableLength <= UNREAD_BYTES) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off("drain", done);
        this.socket.off("close", done);
        resolve();
      };
      this.socket.on("drain", done);
      this.socket.on("close", done);
    });
  }

  /** Where the program's messages after "ready" go. */
  onMessage(handler: (message: unknown) => void): void {
    this.handler = handler;
  }

  /** Called once if the program breaks the protocol (at once if it did already). */
  onViolation(handler: (problem: string) => void): void {
    this.violationHandler = handler;
    if (this.violation !== undefined) handler(this.violation);
  }

  /** Stops reading and closes the host's end. */
  close(): void {
    this.socket.destroy();
  }

  private receive(message: unknown): void {
    try {
      this.dispatch(message);
    } catch (error) {
      // Whatever a message makes the host's handling throw (a stack overflow on a value nested
      // a million deep, say) is the program's fault, never the host's end.
      this.violate(
        `a message the runner could not handle (${error instanceof Error ? error.name : "error"})`,
      );
    }
  }

  private dispatch(message: unknown): void {
    if (!this.isReady) {
      if ((message as { type?: unknown } | null)?.type !== "ready") {
        return this.violate("a first message that is not the bootstrap's");
      }
      this.isReady = true;
      this.markReady();
      return;
    }
    this.handler?.(message);
  }

  private violate(problem: string): void {
    if (this.violation !== undefined) return;
    this.violation = problem;
    this.socket.pause();
    this.violationHandler?.(problem);
  }
}
