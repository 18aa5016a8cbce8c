/** Where `run`'s program comes from: a file, `--eval` code, or code piped on stdin. */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { ProgramSource } from "../runner/bundle.js";
import { RunError } from "../runner/errors.js";
import type { CommandContext } from "./context.js";

export async function programSource(
  file: string | undefined,
  code: string | undefined,
  ctx: Pick<CommandContext, "cwd" | "stdin">,
): Promise<ProgramSource> {
  if (file !== undefined) {
    const absolute = path.resolve(ctx.cwd, file);
    if (!existsSync(absolute)) throw new RunError(`the program ${absolute} does not exist`);
    return { file: absolute };
  }
  if (code !== undefined) return { code, resolveDir: ctx.cwd, name: "[eval].ts" };
  const stdin = ctx.stdin?.();
  if (!stdin || stdin.isTTY) {
    throw new RunError(
      "no program: give a file (`mcp-codegen run task.ts`), --eval <code>, or pipe code on stdin",
    );
  }
  const { readStdin } = await import("../runner/read-stdin.js");
  return { code: await readStdin(stdin), resolveDir: ctx.cwd, name: "[stdin].ts" };
}
