/**
 * The command line: parses arguments with commander, runs one command and returns its exit code
 * (0 ok, 1 failure or stale, 2 usage). Never exits the process itself; bin/mcp-codegen.js does.
 */
import type { Command as CommandType } from "commander";
import { CLIENTS } from "../init/client-names.js";
import { GENERATOR_VERSION } from "../version.js";
import type { AuthFlags } from "./auth.js";
import type { CheckFlags } from "./check.js";
import type { CommandContext } from "./context.js";
import type { DaemonFlags } from "./daemon.js";
import type { GenerateFlags } from "./generate.js";
import type { InitFlags } from "./init.js";
import type { ListFlags } from "./list.js";
import type { RunFlags } from "./run.js";
import type { ServeFlags } from "./serve.js";
import { listenAddress } from "./listen-address.js";
import type { SkillSaveFlags } from "./skill.js";
import type { StatsFlags } from "./stats.js";
import type { WorkspaceFlags } from "./workspace.js";
import type { SearchFlags } from "./search.js";
import { fastRunFlags, limitValue, RUN_OPTIONS } from "./run-options.js";
import { reported } from "./reported.js";
import type { CommonFlags } from "./options.js";

// Commands load on demand: `--help`, `--version` and usage errors need none of the pipeline.
const runGenerate = async (flags: GenerateFlags, ctx: CommandContext) =>
  (await import("./generate.js")).runGenerate(flags, ctx);
const runCheck = async (flags: CheckFlags, ctx: CommandContext) =>
  (await import("./check.js")).runCheck(flags, ctx);
const runInspect = async (flags: CommonFlags, ctx: CommandContext) =>
  (await import("./inspect.js")).runInspect(flags, ctx);

const runList = async (server: string | undefined, flags: ListFlags, ctx: CommandContext) =>
  (await import("./list.js")).runList(server, flags, ctx);
const runSearch = async (words: string[], flags: SearchFlags, ctx: CommandContext) =>
  (await import("./search.js")).runSearch(words, flags, ctx);

const runInit = async (flags: InitFlags, ctx: CommandContext) =>
  (await import("./init.js")).runInit(flags, ctx);

const runRun = async (file: string | undefined, flags: RunFlags, ctx: CommandContext) =>
  (await import("./run.js")).runRun(file, flags, ctx);

const runDaemon = async (flags: DaemonFlags, ctx: CommandContext) =>
  (await import("./daemon.js")).runDaemon(flags, ctx);

const runServe = async (flags: ServeFlags, ctx: CommandContext) =>
  (await import("./serve.js")).runServe(flags, ctx);
const runStats = async (flags: StatsFlags, ctx: CommandContext) =>
  (await import("./stats.js")).runStats(flags, ctx);

const runWorkspace = async (flags: WorkspaceFlags, ctx: CommandContext) =>
  (await import("./workspace.js")).runWorkspace(flags, ctx);

const runSkillSave = async (file: string, flags: SkillSaveFlags, ctx: CommandContext) =>
  (await import("./skill.js")).runSkillSave(file, flags, ctx);
const runSkillList = async (flags: CommonFlags & { json?: boolean }, ctx: CommandContext) =>
  (await import("./skill.js")).runSkillList(flags, ctx);

const runAuth = async (server: string | undefined, flags: AuthFlags, ctx: CommandContext) =>
  (await import("./auth.js")).runAuth(server, flags, ctx);

const collect = (value: string, previous: string[] = []) => [...previous, value];

type Commander = typeof import("commander");

/**
 * Commander's action for a command's handler: runs it with the flags (commander's further
 * arguments, the command itself, are not passed on) and keeps the exit code it returns.
 */
type Action = <F>(
  handler: (flags: F, ctx: CommandContext) => Promise<number>,
) => (flags: F) => Promise<void>;

export async function main(argv: readonly string[], ctx: CommandContext): Promise<number> {
  // `run` goes first, without commander: with a daemon up, a run is tens of ms in all.
  const fast = fastRunFlags(argv);
  if (fast) return reported(ctx, () => runRun(fast.file, fast.flags, ctx));
  const commander = await import("commander");
  let exitCode = 0;
  const action: Action = (handler) => async (flags) => {
    exitCode = await handler(flags, ctx);
  };
  const program = newProgram(commander, ctx);
  // In the order `--help` lists them.
  addGenerateCommand(program, commander, action);
  addInitCommand(program, commander, action);
  addReadingCommands(program, commander, action);
  addListCommand(program, action);
  addSearchCommand(program, commander, action);
  addRunCommand(program, commander, action);
  addDaemonCommand(program, action);
  addServeCommand(program, commander, action);
  addWorkspaceCommand(program, action);
  addSkillCommand(program, action);
  addAuthCommand(program, action);
  return reported(ctx, async () => (await parse(program, argv, commander)) ?? exitCode);
}

/** The program with its name, version and output to the context's streams; no commands yet. */
function newProgram({ Command }: Commander, ctx: CommandContext): CommandType {
  return new Command("mcp-codegen")
    .description(
      "Turn MCP servers into a folder of typed TypeScript stubs that agents import and run.",
    )
    .version(GENERATOR_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });
}

/**
 * Parses `argv` and runs the command it names. Returns the exit code when commander ended the
 * parse itself (`--help` and `--version` 0, unknown options and commands 2), else undefined.
 */
async function parse(
  program: CommandType,
  argv: readonly string[],
  { CommanderError }: Commander,
): Promise<number | undefined> {
  try {
    await program.parseAsync([...argv], { from: "user" });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

/** The options of every command that reads the config's servers. */
function common(command: CommandType): CommandType {
  return command
    .option(
      "--config <file>",
      "codegen.config.ts, mcp-codegen.config.ts or a client's JSON config (.mcp.json)",
    )
    .option("--out <dir>", "output root (sets outDir): the tree goes to <dir>/servers")
    .option(
      "--server <name>",
      "only this server (repeatable); the others keep their files",
      collect,
    )
    .option("--quiet", "print errors only")
    .option("--verbose", "print every warning");
}

function profiled(command: CommandType): CommandType {
  return command.option(
    "--profile <file>",
    "write the generator's phase timings to <file> as JSON",
  );
}

/** `generate`, the default command. */
function addGenerateCommand(program: CommandType, { Option }: Commander, action: Action): void {
  profiled(common(program.command("generate", { isDefault: true })))
    .description("connect to the configured servers and write the servers/ tree")
    .option(
      "--partial",
      "if some servers fail, write the others and keep the old files of the failed ones",
    )
    .option("--dry-run", "print the plan (create, update, delete) and write nothing")
    .addOption(
      new Option("--from-snapshot <file>", "generate from a saved snapshot instead of connecting"),
    )
    .addOption(
      new Option(
        "--watch",
        "stay running: generate again when a server's tools change or the config is edited",
      ).conflicts(["dryRun", "fromSnapshot"]),
    )
    .action(action(runGenerate));
}

/** `check` and `inspect`: what the servers list, compared with the tree or printed. */
function addReadingCommands(program: CommandType, { Option }: Commander, action: Action): void {
  profiled(common(program.command("check")))
    .description("exit 1 when the live servers differ from the committed tree (drift)")
    .addOption(
      new Option("--from-snapshot <file>", "compare a saved snapshot instead of the live servers"),
    )
    .action(action(runCheck));

  common(program.command("inspect"))
    .description("print what the servers list (tools, schemas) as a JSON snapshot")
    .action(action(runInspect));

  common(program.command("stats"))
    .description(
      "count the tokens of the tool definitions against the catalog, summaries and tool files",
    )
    .option("--json", "print the figures as JSON")
    .addOption(
      new Option("--from-snapshot <file>", "count a saved snapshot instead of the live servers"),
    )
    .action(action(runStats));
}

function addListCommand(program: CommandType, action: Action): void {
  const listCommand = program
    .command("list [server]")
    .description(
      "print the generated catalog (servers/README.md), or one server's API (its summary.d.ts); reads the tree only",
    )
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--out <dir>", "output root (sets outDir): the tree is read from <dir>/servers")
    .option("--json", "the servers and their tools from the manifest, as JSON");
  listCommand.action((server: string | undefined, flags: ListFlags) =>
    action((listFlags: ListFlags, ctx) => runList(server, listFlags, ctx))(flags),
  );
}

/** `search`: the generated tools that match a query, from the tree alone. */
function addSearchCommand(
  program: CommandType,
  { InvalidArgumentError, Option }: Commander,
  action: Action,
): void {
  const searchCommand = program
    .command("search <query...>")
    .description(
      "find generated tools by what they do (names, descriptions, parameters); no server is started",
    )
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--out <dir>", "the folder holding servers/ (default: the config's outDir)")
    .addOption(
      new Option("--detail <level>", "what each result shows")
        .choices(["name", "summary", "full"])
        .default("summary"),
    )
    .option("--limit <n>", "at most n results (1-100, default 10)", (text: string) => {
      const n = Number(text);
      if (!/^\d+$/u.test(text) || n < 1 || n > 100) {
        throw new InvalidArgumentError("a whole number from 1 to 100");
      }
      return n;
    })
    .option("--server <name>", "only this server's tools")
    .option("--json", "print the results as JSON");
  searchCommand.action((words: string[], flags: SearchFlags) =>
    action((searchFlags: SearchFlags, ctx) => runSearch(words, searchFlags, ctx))(flags),
  );
}

function addInitCommand(program: CommandType, { Option }: Commander, action: Action): void {
  program
    .command("init")
    .description(
      "write a starting codegen.config.ts (and a tsconfig.json if there is none; never overwrites), and with --client or --agents-md set up clients and agents",
    )
    .option(
      "--from <source>",
      "take servers from this client config: a path, claude-desktop, or none (repeatable; default: the project's .mcp.json, .cursor/mcp.json and .vscode/mcp.json)",
      collect,
    )
    .option("--copy", "write the servers into the config instead of importing the project's files")
    .addOption(
      new Option(
        "--client <name...>",
        "add the mcp-codegen server (npx mcp-codegen serve) to this client's project config; for claude-desktop, print its entry (repeatable)",
      ).choices(CLIENTS),
    )
    .option("--force", "with --client: replace an mcp-codegen entry that differs from ours")
    .option(
      "--agents-md",
      "write the workflow section for agents with a shell into AGENTS.md / CLAUDE.md (updated in place on later runs)",
    )
    .action(action(runInit));
}

/** `run`, its limits parsed against the config's bounds (a bad one is a usage error, exit 2). */
function addRunCommand(
  program: CommandType,
  { InvalidArgumentError }: Commander,
  action: Action,
): void {
  const runCommand = program
    .command("run [file]")
    .description(
      "run an agent's TypeScript program in the sandbox (a file, --eval <code>, or code on stdin)",
    );
  for (const { flags, description, limit } of RUN_OPTIONS) {
    if (limit === undefined) {
      runCommand.option(flags, description);
      continue;
    }
    runCommand.option(flags, description, (text: string) => {
      const parsed = limitValue(limit, text);
      if ("problem" in parsed) throw new InvalidArgumentError(parsed.problem);
      return parsed.value;
    });
  }
  runCommand.action((file: string | undefined, flags: RunFlags) =>
    action((runFlags: RunFlags, ctx) => runRun(file, runFlags, ctx))(flags),
  );
}

function addDaemonCommand(program: CommandType, action: Action): void {
  program
    .command("daemon")
    .description(
      "keep the config's servers connected and a sandbox booted, so that `run` starts at once",
    )
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--stop", "stop the daemon of this config")
    .option("--status", "exit 0 if the daemon of this config is running, 3 if not")
    .action(action(runDaemon));
}

function addServeCommand(
  program: CommandType,
  { InvalidArgumentError }: Commander,
  action: Action,
): void {
  program
    .command("serve")
    .description(
      "an MCP server for any MCP client: code mode (execute_code) over the config's servers, on stdio or --http",
    )
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option(
      "--http <[host:]port>",
      "serve Streamable HTTP at /mcp instead of stdio (host default 127.0.0.1; any other needs a token)",
      (text: string) => {
        const parsed = listenAddress(text);
        if ("problem" in parsed) throw new InvalidArgumentError(parsed.problem);
        return parsed;
      },
    )
    .action(action(runServe));
}

function addWorkspaceCommand(program: CommandType, action: Action): void {
  program
    .command("workspace")
    .description("list what the agents' workspace/ holds, with sizes; --clean empties it")
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--out <dir>", "output root (sets outDir): the workspace is <dir>/workspace")
    .option("--json", "print the listing as JSON")
    .option("--clean", "remove everything in workspace/ (asks first)")
    .option("--yes", "with --clean: do not ask")
    .action(action(runWorkspace));
}

function addSkillCommand(program: CommandType, action: Action): void {
  const skill = program
    .command("skill")
    .description("save code that works as a skill agents reuse (skills/<name>/), or list them");
  const save = skill
    .command("save <file>")
    .description("save <file> as skills/<name>/index.ts with its SKILL.md; never over another")
    .requiredOption("--name <name>", "1-64 characters a-z, 0-9 and -, the folder's name")
    .requiredOption("--description <text>", "what it does and when to use it (at most 1,024)")
    .option("--force", "replace a skill of that name")
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--out <dir>", "output root (sets outDir): skills go to <dir>/skills");
  save.action((file: string, flags: SkillSaveFlags) =>
    action((saveFlags: SkillSaveFlags, ctx) => runSkillSave(file, saveFlags, ctx))(flags),
  );
  skill
    .command("list")
    .description("list the saved skills with their descriptions")
    .option("--json", "print them as JSON")
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--out <dir>", "output root (sets outDir): skills are in <dir>/skills")
    .action(action(runSkillList));
}

function addAuthCommand(program: CommandType, action: Action): void {
  const authCommand = program
    .command("auth [server]")
    .description(
      "log in to an OAuth server (opens the browser); --list shows the logins, --logout forgets them",
    )
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--list", "show who is logged in where: server, URL, scopes, expiry (never a token)")
    .option("--logout", "forget the login of [server], or of every server")
    .option("--no-browser", "print the login URL instead of opening the browser")
    .option("--scope <scope>", "ask for this scope too (repeatable)", collect);
  authCommand.action((server: string | undefined, flags: AuthFlags) =>
    action((authFlags: AuthFlags, ctx) => runAuth(server, authFlags, ctx))(flags),
  );
}
