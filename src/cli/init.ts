/** `mcp-codegen init`: a starting config, and what to do next. */
import { homedir } from "node:os";
import { init, type InitResult } from "../init/init.js";
import type { CommandContext } from "./context.js";

export interface InitFlags {
  readonly from?: string[];
  readonly copy?: boolean;
}

export async function runInit(flags: InitFlags, ctx: CommandContext): Promise<number> {
  const result = await init({
    cwd: ctx.cwd,
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    copy: flags.copy ?? false,
    platform: process.platform,
    env: ctx.env,
    home: homedir(),
  });
  ctx.stdout.write(describe(result).join("\n") + "\n");
  return 0;
}

/** What init did, what it found and did not take, what to change, and what to run next. */
function describe(result: InitResult): string[] {
  const lines: string[] = [];
  const servers = (names: readonly string[]) => (names.length > 0 ? names.join(", ") : "none");
  const from = result.used.map(
    (s) => `${s.label} (${servers(s.servers)}), ${s.how === "imported" ? "imported" : "copied"}`,
  );
  lines.push(
    from.length > 0
      ? `wrote codegen.config.ts with the servers of ${from.join("; ")}`
      : "wrote codegen.config.ts with an example server (memory, started with npx): replace it with yours",
  );
  if (result.written.includes("tsconfig.json")) {
    lines.push("wrote tsconfig.json: what tsc and your editor check programs and the stubs with");
  }
  for (const { server, kept } of result.overridden) {
    lines.push(`server "${server}" is in more than one file: the one in ${kept} is kept`);
  }
  if (result.variables.length > 0) {
    const names = result.variables.map((v) => `${v.name} (${v.from})`).join(", ");
    lines.push(
      `set these before generating: the copied servers read them from the environment, so that their values stay out of a file you commit: ${names}`,
    );
  }
  if (result.shadowed !== undefined) {
    lines.push(`commands run here used ${result.shadowed} until now; they use codegen.config.ts`);
  }
  for (const source of result.unused) {
    lines.push(
      `also found, not taken: ${source.label} (${servers(source.servers)}); init takes it with ${source.take} (one --from for each file to take)`,
    );
  }
  for (const advice of result.advice) lines.push(`to change: ${advice}`);
  lines.push(
    "",
    "next:",
    "  npx mcp-codegen   connect to the servers and write servers/ (commit it)",
    "  then point your agent at servers/README.md: a program in this folder imports",
    "  ./servers/<server>/index.js and runs with `npx mcp-codegen run <file>`",
  );
  return lines;
}
