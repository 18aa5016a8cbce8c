/**
 * The command line: parses arguments with commander, runs one command and returns its exit code
 * (0 ok, 1 failure or stale, 2 usage). Never exits the process itself; `bin.ts` does.
 */
import type { Command as CommandType } from "commander";
import { CodegenError } from "../errors.js";
import { GENERATOR_VERSION } from "../version.js";
import type { AuthFlags } from "./auth.js";
import type { CheckFlags } from "./check.js";
import type { CommandContext } from "./context.js";
import type { DaemonFlags } from "./daemon.js";
import type { GenerateFlags } from "./generate.js";
import type { InitFlags } from "./init.js";
import type { RunFlags } from "./run.js";
import { fastRunFlags, limitValue, RUN_OPTIONS } from "./run-options.js";
import type { CommonFlags } from "./options.js";

// Commands load on demand: `--help`, `--version` and usage errors need none of the pipeline.
const runGenerate = async (flags: GenerateFlags, ctx: CommandContext) =>
  (await import("./generate.js")).runGenerate(flags, ctx);
const runCheck = async (flags: CheckFlags, ctx: CommandContext) =>
  (await import("./check.js")).runCheck(flags, ctx);
const runInspect = async (flags: CommonFlags, ctx: CommandContext) =>
  (await import("./inspect.js")).runInspect(flags, ctx);

const runInit = async (flags: InitFlags, ctx: CommandContext) =>
  (await import("./init.js")).runInit(flags, ctx);

const runRun = async (file: string | undefined, flags: RunFlags, ctx: CommandContext) =>
  (await import("./run.js")).runRun(file, flags, ctx);

const runDaemon = async (flags: DaemonFlags, ctx: CommandContext) =>
  (await import("./daemon.js")).runDaemon(flags, ctx);

const runAuth = async (server: string | undefined, flags: AuthFlags, ctx: CommandContext) =>
  (await import("./auth.js")).runAuth(server, flags, ctx);

const collect = (value: string, previous: string[] = []) => [...previous, value];

export async function main(argv: readonly string[], ctx: CommandContext): Promise<number> {
  // `run` goes first, without commander: with a daemon up, a run is tens of ms in all.
  const fast = fastRunFlags(argv);
  if (fast) return reported(ctx, () => runRun(fast.file, fast.flags, ctx));
  const { Command, CommanderError, InvalidArgumentError, Option } = await import("commander");
  let exitCode = 0;
  const run =
    <F>(handler: (flags: F, ctx: CommandContext) => Promise<number>) =>
    async (flags: F) => {
      exitCode = await handler(flags, ctx);
    };
  const program = new Command("mcp-codegen")
    .description(
      "Turn MCP servers into a folder of typed TypeScript stubs that agents import and run.",
    )
    .version(GENERATOR_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });

  const common = (command: CommandType) =>
    command
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
  const profiled = (command: CommandType) =>
    command.option("--profile <file>", "write the generator's phase timings to <file> as JSON");

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
    .action(run(runGenerate));

  program
    .command("init")
    .description(
      "write a starting codegen.config.ts, and a tsconfig.json if there is none; never overwrites",
    )
    .option(
      "--from <source>",
      "take servers from this client config: a path, claude-desktop, or none (repeatable; default: the project's .mcp.json, .cursor/mcp.json and .vscode/mcp.json)",
      collect,
    )
    .option("--copy", "write the servers into the config instead of importing the project's files")
    .action(run(runInit));

  profiled(common(program.command("check")))
    .description("exit 1 when the live servers differ from the committed tree (drift)")
    .addOption(
      new Option("--from-snapshot <file>", "compare a saved snapshot instead of the live servers"),
    )
    .action(run(runCheck));

  common(program.command("inspect"))
    .description("print what the servers list (tools, schemas) as a JSON snapshot")
    .action(run(runInspect));

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
  runCommand.action(async (file: string | undefined, flags: RunFlags) => {
    exitCode = await runRun(file, flags, ctx);
  });

  program
    .command("daemon")
    .description(
      "keep the config's servers connected and a sandbox booted, so that `run` starts at once",
    )
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--stop", "stop the daemon of this config")
    .option("--status", "exit 0 if the daemon of this config is running, 3 if not")
    .action(run(runDaemon));

  program
    .command("auth [server]")
    .description(
      "log in to an OAuth server (opens the browser); --list shows the logins, --logout forgets them",
    )
    .option("--config <file>", "the config (default: found from the working folder upward)")
    .option("--list", "show who is logged in where: server, URL, scopes, expiry (never a token)")
    .option("--logout", "forget the login of [server], or of every server")
    .option("--no-browser", "print the login URL instead of opening the browser")
    .option("--scope <scope>", "ask for this scope too (repeatable)", collect)
    .action(async (server: string | undefined, flags: AuthFlags) => {
      exitCode = await runAuth(server, flags, ctx);
    });

  return reported(ctx, async () => {
    try {
      await program.parseAsync([...argv], { from: "user" });
      return exitCode;
    } catch (error) {
      // --help and --version end here with code 0; unknown options and commands with 1.
      if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
      throw error;
    }
  });
}

/** Runs a command: our own errors become one line and exit 1; anything else is a bug. */
async function reported(ctx: CommandContext, command: () => Promise<number>): Promise<number> {
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
