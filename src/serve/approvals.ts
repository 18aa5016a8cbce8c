/**
 * Approvals in `serve`: the runtime asks one approver per process, but serve runs programs of
 * several clients at once, and each call's question must go to the client whose program made
 * it. The approver set for the process looks up the run's own in the async context that the
 * run's tool calls carry (AsyncLocalStorage follows every await from the request on).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Approver, ApprovalRequest } from "../runtime/approver.js";
import type { ToolHost } from "../runner/tool-host.js";
import type { ElicitResult } from "./sdk.js";

const runApprover = new AsyncLocalStorage<Approver>();

/** The process's approver: the run's own, else `outside` (a call made outside any run). */
export function routedApprover(outside: Approver): Approver {
  return { ask: (request, signal) => (runApprover.getStore() ?? outside).ask(request, signal) };
}

/** `tools`, its calls asking `approver` for any yes they need. */
export function askingTools(tools: ToolHost, approver: Approver): ToolHost {
  return {
    ...tools,
    handle: (request, signal, onProgress) =>
      runApprover.run(approver, () => tools.handle(request, signal, onProgress)),
  };
}

/** Asks the client's user through elicitation (a form with one yes/no field). */
export function elicitingApprover(
  elicit: (message: string, signal: AbortSignal | undefined) => Promise<ElicitResult>,
): Approver {
  return {
    async ask(request, signal) {
      const reply = await elicit(questionOf(request), signal);
      return reply.action === "accept" && reply.content?.["approve"] === true
        ? { answer: "yes" }
        : { answer: "no" };
    },
  };
}

/** The question, with the program's arguments shown as JSON (cut: they are untrusted and long). */
function questionOf({ server, tool, input, because }: ApprovalRequest): string {
  const shown = JSON.stringify(input) ?? "undefined";
  const cut = shown.length > 2000 ? `${shown.slice(0, 2000)}… (${shown.length} characters)` : shown;
  return `A program wants to call tool ${JSON.stringify(tool)} of server "${server}" with ${cut}. It needs your yes because ${because}. Allow this call?`;
}
