/**
 * `closeConnections`, apart from `request.ts`: the declarations of what `mcp-codegen/runtime`
 * exports must reach nothing of the SDK's or Node's types (see `options.ts`), and those of
 * `request.ts` do.
 */
import { pool } from "./request.js";

/** Closes every open connection now (they also end when the process exits). */
export function closeConnections(): Promise<void> {
  return pool.closeAll();
}
