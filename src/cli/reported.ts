/** How a command's failure reaches the user: one line for ours, a bug report for anything else. */
import { CodegenError } from "../errors.js";
import type { CommandContext } from "./context.js";

/** Runs a command: our own errors become one line and exit 1; anything else is a bug. */
export async function reported(
  ctx: CommandContext,
  command: () => Promise<number>,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof CodegenError) {
      ctx.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    ctx.stderr.write(
      `mcp-codegen failed unexpectedly. This is a bug; please report it with the output below.\n${detail}\n`,
    );
    return 1;
  }
}
