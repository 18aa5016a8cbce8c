/**
 * The config's call policy applied to `callMcpTool` (see config/policy.ts for the rules). It
 * runs in the process that holds the connections, never in a sandboxed program: the runner's
 * host and the daemon call the real runtime, so a program's own code cannot skip it.
 */
import { callPolicy, type CallPolicy } from "../config/policy.js";
import type { ResolvedServer } from "../config/types.js";
import { currentApprover } from "./approver.js";
import { loadedServer, serverEntry, type ServerEntry } from "./config.js";
import { ApprovalError, ToolDeniedError } from "./policy-errors.js";
import type { ToolIndex } from "./pool.js";

// Compiled once per server of a config: a reloaded config brings new server objects.
const compiled = new WeakMap<ResolvedServer, CallPolicy>();

function policyOf(server: ResolvedServer): CallPolicy {
  let policy = compiled.get(server);
  if (!policy) {
    policy = callPolicy(server);
    compiled.set(server, policy);
  }
  return policy;
}

/** Throws ToolDeniedError when the config refuses calls to `tool`: before anything connects. */
export async function refuseUnlessAllowed(server: string, tool: string): Promise<void> {
  const entry = loadedServer(server) ?? (await serverEntry(server));
  const rule = policyOf(entry.server).refusal(tool);
  if (rule) throw new ToolDeniedError(server, tool, rule);
}

/**
 * Right before the call is sent, with the entry it is sent with: refuses it (ToolDeniedError),
 * or, when `approve` names it, asks the approver and throws ApprovalError unless the answer is
 * yes. `tools` is the connection's listing, whose annotations `approve.destructive` reads.
 */
export async function guardCall(
  entry: ServerEntry,
  tool: string,
  input: unknown,
  tools: ToolIndex,
  signal: AbortSignal | undefined,
): Promise<void> {
  const server = entry.server.name;
  const policy = policyOf(entry.server);
  const refusal = policy.refusal(tool);
  if (refusal) throw new ToolDeniedError(server, tool, refusal);
  const listed = tools.annotations.has(tool)
    ? { annotations: tools.annotations.get(tool) }
    : "unlisted";
  const rule = policy.approval(tool, listed);
  if (!rule) return;
  const approver = await currentApprover();
  const reply = await approver.ask({ server, tool, input, because: rule.because }, signal);
  signal?.throwIfAborted();
  if (reply.answer === "yes") return;
  throw new ApprovalError(server, tool, rule, reply.answer === "nobody" ? reply.reason : undefined);
}
