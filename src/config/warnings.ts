/** Config values that are valid but most likely not what was meant. */
import type { Warning } from "../log.js";
import type { ResolvedConfig } from "./types.js";

/** Timeouts are milliseconds; a server's under one second was probably written in seconds. */
const SECONDS_LOOKALIKE_MS = 1000;

/** One warning per suspicious value, naming the server and the field. */
export function configWarnings(config: ResolvedConfig): Warning[] {
  return config.servers
    .filter((server) => !server.disabled && server.requestTimeoutMs < SECONDS_LOOKALIKE_MS)
    .map((server) => {
      const ms = server.requestTimeoutMs;
      return {
        server: server.name,
        field: "timeout",
        message: `is ${ms} ms: timeouts are milliseconds; did you mean ${ms * 1000} (${ms} s)?`,
      };
    });
}
