/**
 * The options of `mcp-codegen run`, once: commander shows them in `--help`, and `fastRunFlags`
 * reads them with Node's own `parseArgs`, so that a run (with a daemon up, tens of ms in all)
 * does not wait for commander to load.
 */
import { parseArgs } from "node:util";
import { RUN_LIMITS, wholeNumberIn } from "../config/run-limits.js";
import type { RunLimits } from "../runner/limits.js";
import type { RunFlags } from "./run.js";

interface RunOption {
  /** As commander spells it: `--timeout <ms>`, `-e, --eval <code>`, `--no-daemon`. */
  readonly flags: string;
  readonly description: string;
  /** A limit's value: a whole number within the bounds `run.<limit>` has in the config. */
  readonly limit?: keyof typeof RUN_LIMITS;
}

export const RUN_OPTIONS: readonly RunOption[] = [
  {
    flags: "--config <file>",
    description: "the config (default: found from the working folder upward)",
  },
  { flags: "-e, --eval <code>", description: "the program's code" },
  {
    flags: "--timeout <ms>",
    description: "wall-time limit (default: run.timeout, 60000)",
    limit: "timeout",
  },
  {
    flags: "--memory <MB>",
    description: "memory limit (default: run.memory, 512)",
    limit: "memory",
  },
  {
    flags: "--max-output <bytes>",
    description: "output kept per stream (default: run.maxOutput, 1 MiB)",
    limit: "maxOutput",
  },
  {
    flags: "--max-workspace <MB>",
    description: "MB the program may add to workspace/ (default: run.maxWorkspace, 100)",
    limit: "maxWorkspace",
  },
  {
    flags: "--typecheck",
    description: "type-check the program against the stubs first; stop on errors",
  },
  {
    flags: "--unsafe",
    description: "run with tsx in this process: no sandbox, no limits (development only)",
  },
  { flags: "--no-daemon", description: "do not use a running `mcp-codegen daemon`" },
];

/**
 * A limit's value as a number, or the reason it is not one (what commander's
 * `InvalidArgumentError` says after "option '--memory <MB>' argument '999999' is invalid.").
 */
export function limitValue(
  limit: keyof typeof RUN_LIMITS,
  text: string,
): { value: number } | { problem: string } {
  const range = RUN_LIMITS[limit];
  const value = wholeNumberIn(text, range);
  return value === undefined ? { problem: `It ${range.message}.` } : { value };
}

/** `--max-output` → `maxOutput`, as commander names a flag's value. */
const camel = (name: string) =>
  name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * `run`'s file and flags, read without commander; undefined for anything it would answer
 * differently (help, an unknown or repeated option, a missing value, a limit out of bounds),
 * which then goes to it: a usage error gets commander's message and exit 2 either way.
 */
export function fastRunFlags(
  argv: readonly string[],
): { file: string | undefined; flags: RunFlags } | undefined {
  if (argv[0] !== "run" || argv.includes("--help") || argv.includes("-h")) return undefined;
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const option of RUN_OPTIONS) {
    const match = /^(?:-(\w), )?--([\w-]+)( <\w+>)?$/.exec(option.flags)!;
    options[match[2]!] = {
      type: match[3] ? "string" : "boolean",
      ...(match[1] ? { short: match[1] } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv.slice(1), options, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  if (parsed.positionals.length > 1) return undefined;
  const flags: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (name === "no-daemon") flags.daemon = false;
    else flags[camel(name)] = value;
  }
  for (const { limit } of RUN_OPTIONS) {
    const text = limit === undefined ? undefined : flags[limit];
    if (limit === undefined || typeof text !== "string") continue;
    const parsedLimit = limitValue(limit, text);
    if (!("value" in parsedLimit)) return undefined;
    flags[limit] = parsedLimit.value;
  }
  return { file: parsed.positionals[0], flags: flags as RunFlags };
}

/** The limits the flags give; the config's `run` settings fill in the rest. */
export function givenLimits(flags: RunFlags): Partial<RunLimits> {
  return {
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
    ...(flags.memory !== undefined ? { memoryMb: flags.memory } : {}),
    ...(flags.maxOutput !== undefined ? { maxOutputBytes: flags.maxOutput } : {}),
    ...(flags.maxWorkspace !== undefined ? { maxWorkspaceMb: flags.maxWorkspace } : {}),
  };
}
