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

/** Requests a program may have under way at once; a flood beyond it is not a program's work. */
const MAX_IN_FLIGHT = 1000;

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
  const reply = (message: HostMessage) => channel.send(message);
  const handle = async (request: RequestMessage) => {
    if (inFlight.has(request.id)) return onViolation(`request id ${request.id} twice`);
    if (inFlight.size >= MAX_IN_FLIGHT) {
      return onViolation(`more than ${MAX_IN_FLIGHT} requests at once`);
    }
    const controller = new AbortController();
    inFlight.set(request.id, controller);
    const onProgress = request.progress
      ? (progress: { progress: number; total?: number; message?: string }) =>
          reply({ type: "progress", id: request.id, progress })
      : undefined;
    try {
      const value = await tools.handle(request, controller.signal, onProgress);
      if (!controller.signal.aborted) reply({ type: "result", id: request.id, ok: true, value });
    } catch (error) {
      if (!controller.signal.aborted)
        reply({
          type: "result",
          id: request.id,
          ok: false,
          error: errorForProgram(error, tools.config()),
        });
    } finally {
      inFlight.delete(request.id);
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
