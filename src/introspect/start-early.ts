/**
 * The head start of `generate`, `check` and `inspect`: the stdio servers that introspection will
 * connect to first are started as soon as the config is known, so that they boot while the SDK,
 * the type compiler and the formatter load. Imports nothing heavy (see connect/early-start.ts).
 */
import type { ResolvedConfig } from "../config/types.js";
import { endUnclaimed, startEarly } from "../connect/early-start.js";

/**
 * Starts the stdio servers among the first `concurrency` enabled servers (those `only` names,
 * when given): exactly the ones introspection connects to at once, so no more processes run
 * than the config allows.
 */
export function startServersEarly(config: ResolvedConfig, only?: readonly string[]): void {
  const first = serversToList(config, only)
    .filter((server) => !server.disabled)
    .slice(0, config.concurrency);
  for (const server of first) {
    if (server.transport.kind === "stdio") startEarly(server.transport);
  }
}

/** The servers a command lists: those `only` names (`--server`), else all of the config's. */
export function serversToList(
  config: ResolvedConfig,
  only: readonly string[] | undefined,
): ResolvedConfig["servers"] {
  return only ? config.servers.filter((server) => only.includes(server.name)) : config.servers;
}

/** Ends what was started early and never connected to (the command failed before that). */
export const endServersStartedEarly = endUnclaimed;
