/**
 * The host's side of the program's channel: each request runs through the ToolHost and its
 * result (or error, flattened) goes back; a cancel aborts it. The program is untrusted: a
 * malformed message or a flood of requests stops it.
 */
import { RunError } from "./errors.js";
import type { ProgramChannel } from "./program-channel.js";
import { errorForProgram } from "./program-errors.js";
import {
  parseProgramMessage,
  type HostMessage,
  type ProgramMessage,
  type RequestMessage,
} from "./protocol.js";
import type { ToolHost } from "./tool-host.js";

/** Requests a program may have waiting or under way; a flood beyond it is not a program's work. */
const MAX_IN_FLIGHT = 1000;
/**
 * Requests that run at once; the others wait their turn. What a server answers is held in the
 * host until the program reads it, so a program asking for many big results at once (and
 * never reading them) would otherwise have the host and its servers hold them all.
 */
const MAX_RUNNING = 8;

/**
 * Answers the child's requests through `tools`; an in-flight request is aborted when the child
 * cancels it or the run ends. A malformed message means the program is not using the runtime
 * (or is hostile): `onViolation` stops it.
 */
export function serveRequests(
  channel: ProgramChannel,
  tools: ToolHost,
  onViolation: (problem: string) => void,
): { abortAll(): void } {
  const inFlight = new Map<number, AbortController>();
  const turns = new Turns(channel);
  const handle = async (request: RequestMessage) => {
    if (inFlight.has(request.id)) return onViolation(`request id ${request.id} twice`);
    if (inFlight.size >= MAX_IN_FLIGHT) {
      return onViolation(`more than ${MAX_IN_FLIGHT} requests at once`);
    }
    const controller = new AbortController();
    inFlight.set(request.id, controller);
    try {
      await turns.take(controller.signal);
    } catch {
      inFlight.delete(request.id);
      turns.release();
      return;
    }
    try {
      await answer(request, controller.signal, tools, (message) => channel.send(message));
    } finally {
      inFlight.delete(request.id);
      turns.release();
    }
  };
  channel.onViolation(onViolation);
  channel.onMessage((raw: unknown) => {
    const message: ProgramMessage | string = parseProgramMessage(raw);
    if (typeof message === "string") return onViolation(message);
    if (message.type === "cancel") {
      inFlight.get(message.id)?.abort(new RunError("the program cancelled the call"));
      return;
    }
    void handle(message);
  });
  return {
    abortAll() {
      for (const controller of inFlight.values())
        controller.abort(new RunError("the program ended"));
      inFlight.clear();
    },
  };
}

/** The slots requests run in: MAX_RUNNING at once, the others waiting their turn in order. */
class Turns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly channel: ProgramChannel) {}

  /** Resolves when the request may run: a slot is free and the program reads its answers. */
  async take(signal: AbortSignal): Promise<void> {
    while (this.running >= MAX_RUNNING) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    await this.channel.drained();
    signal.throwIfAborted();
  }

  /** Gives the slot of a request that ended (or never ran) to the next one waiting. */
  release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}

/** Runs one request and replies with its result, or its error as the program may see it. */
async function answer(
  request: RequestMessage,
  signal: AbortSignal,
  tools: ToolHost,
  reply: (message: HostMessage) => void,
): Promise<void> {
  const onProgress = request.progress
    ? (progress: { progress: number; total?: number; message?: string }) =>
        reply({ type: "progress", id: request.id, progress })
    : undefined;
  try {
    const value = await tools.handle(request, signal, onProgress);
    if (!signal.aborted) reply({ type: "result", id: request.id, ok: true, value });
  } catch (error) {
    if (!signal.aborted)
      reply({
        type: "result",
        id: request.id,
        ok: false,
        error: errorForProgram(error, tools.config()),
      });
  }
}
