/**
 * Who says yes or no to a call the config's `approve` names. The host chooses: by default the
 * runtime asks on the terminal (`mcp-codegen run`, a plain Node program); the daemon has nobody
 * to ask; `serve` will ask its MCP client (elicitation). Each host brings an `Approver`.
 */

/** One call waiting for a yes. Everything in it but `because` comes from the program. */
export interface ApprovalRequest {
  readonly server: string;
  readonly tool: string;
  /** The call's arguments as the program gave them: untrusted, escape before showing. */
  readonly input: unknown;
  /** Why it needs a yes, e.g. `it matches "move_*" in servers.fs.approve.tools`. */
  readonly because: string;
}

export type ApprovalAnswer =
  | { readonly answer: "yes" }
  | { readonly answer: "no" }
  /** Nobody could be asked; `reason` says why, for the error (`there is no terminal…`). */
  | { readonly answer: "nobody"; readonly reason: string };

export interface Approver {
  /** Asks about one call; `signal` withdraws the question (the call was cancelled, the run ended). */
  ask(request: ApprovalRequest, signal: AbortSignal | undefined): Promise<ApprovalAnswer>;
}

let chosen: Approver | undefined;

/** Makes `approver` answer every later approval of this process; undefined: the terminal again. */
export function setRuntimeApprover(approver: Approver | undefined): void {
  chosen = approver;
}

/** An approver for a host where nobody can answer: every call that needs a yes fails with `reason`. */
export function nobodyToAsk(reason: string): Approver {
  return { ask: async () => ({ answer: "nobody", reason }) };
}

/** The approver in force: the one set, else the terminal's (loaded on the first approval only). */
export async function currentApprover(): Promise<Approver> {
  return chosen ?? (await import("./terminal-approver.js")).terminalApprover;
}
