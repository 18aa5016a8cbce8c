import type { Connection } from "../connect/index.js";
import { RuntimeError } from "./errors.js";

/**
 * Throws a RuntimeError unless the server announced `capability` in `initialize`: without it a
 * server answers "Method not found", which does not say that it simply has no resources.
 */
export function requireCapability(
  connection: Connection,
  capability: "resources" | "prompts",
  call: string,
): void {
  if (connection.offers[capability]) return;
  throw new RuntimeError(
    `server "${connection.server.name}" offers no ${capability} (its answer to initialize does not ` +
      `announce the "${capability}" capability), so ${call} cannot be used with it. Check the server ` +
      "name, or look for a tool that does the same.",
  );
}
