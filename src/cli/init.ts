/** `mcp-codegen init`: a starting config, and what to do next. */
import { homedir } from "node:os";
import * as path from "node:path";
import type { ClientName } from "../init/client-names.js";
import { ENTRY_NAME, type ClientOutcome } from "../init/clients.js";
import { init, type InitResult } from "../init/init.js";
import type { CommandContext } from "./context.js";

export interface InitFlags {
  readonly from?: string[];
  readonly copy?: boolean;
  readonly client?: ClientName[];
  readonly force?: boolean;
  readonly agentsMd?: boolean;
}

const CLIENT_LABELS: Readonly<Record<ClientName, string>> = {
  "claude-code": "Claude Code",
  cursor: "Cursor",
  vscode: "VS Code",
  "claude-desktop": "Claude Desktop",
};

export async function runInit(flags: InitFlags, ctx: CommandContext): Promise<number> {
  const result = await init({
    cwd: ctx.cwd,
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    copy: flags.copy ?? false,
    clients: flags.client ?? [],
    force: flags.force ?? false,
    agentsMd: flags.agentsMd ?? false,
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
  if (result.kept !== undefined) {
    lines.push(`kept ${path.basename(result.kept)} as it is`);
  } else {
    lines.push(
      from.length > 0
        ? `wrote codegen.config.ts with the servers of ${from.join("; ")}`
        : "wrote codegen.config.ts with an example server (memory, started with npx): replace it with yours",
    );
  }
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
  for (const client of result.clients) lines.push(...describeClient(client));
  for (const { file, outcome } of result.agents) {
    lines.push(
      outcome === "unchanged"
        ? `${file} has the mcp-codegen section already`
        : `${outcome === "created" ? "wrote" : outcome === "added" ? "added to" : "updated in"} ${file}: the section that teaches agents to search, write one program and run it`,
    );
  }
  lines.push(
    "",
    "next:",
    "  npx mcp-codegen   connect to the servers and write servers/ (commit it)",
    "  then point your agent at servers/README.md: a program in this folder imports",
    "  ./servers/<server>/index.js and runs with `npx mcp-codegen run <file>`",
  );
  if (result.clients.length === 0 && result.agents.length === 0) {
    lines.push(
      "  init --client claude-code|cursor|vscode|claude-desktop   give an MCP client code mode",
      "  init --agents-md   teach an agent with a shell the workflow (AGENTS.md, CLAUDE.md)",
    );
  }
  return lines;
}

/** What init did in one client's config; for Claude Desktop, the entry to paste and where. */
function describeClient({ client, file, outcome, entry }: ClientOutcome): string[] {
  const label = CLIENT_LABELS[client];
  if (outcome === "printed") {
    const json = JSON.stringify({ [ENTRY_NAME]: entry }, null, 2)
      .split("\n")
      .slice(1, -1);
    return [
      `${label}: init does not edit its config, which is outside the project. Add this to "mcpServers" in ${file}, then restart ${label}:`,
      ...json.map((line) => `  ${line}`),
    ];
  }
  const what = `the ${ENTRY_NAME} server (npx mcp-codegen serve) for ${label}`;
  if (outcome === "unchanged") return [`${file} has ${what} already`];
  if (outcome === "created") return [`wrote ${file} with ${what}`];
  return [`${outcome === "added" ? "added" : "replaced (--force)"} ${what} in ${file}`];
}
