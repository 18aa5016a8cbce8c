/**
 * The call policy through the built CLI (`npm run build` first): `mcp-codegen run` with the
 * official filesystem server, its stubs generated in the project. Approvals are asked on a real
 * pseudo-terminal (util-linux `script`), answered by writing to it as a person types; "no
 * terminal" is a session of its own (`setsid`), so that a developer's terminal never answers.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, tempProject, type CliResult } from "../e2e/cli.js";
import { officialServer } from "../connect/servers.js";

const BIN = path.join(ROOT, "bin/mcp-codegen.js");
const ESC = "\u001b";
let project: string;
const data = () => path.join(project, "data");

beforeAll(async () => {
  project = tempProject({
    "data/.keep": "",
    "codegen.config.mjs": `export default ${JSON.stringify({
      servers: {
        fs: {
          command: process.execPath,
          args: [officialServer("filesystem"), "data"],
          deny: ["write_*"],
          approve: { tools: ["create_directory"] },
        },
      },
    })};\n`,
  });
  const generated = await runCli(["generate", "--config", "codegen.config.mjs"], {
    cwd: project,
    timeoutMs: 60_000,
  });
  expect(generated.code, generated.stderr).toBe(0);
});

/** The environment of a run: this one's, without CI (which means nobody can answer). */
function runEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  delete env.CI;
  return { ...env, ...extra };
}

function runArgs(file: string): string[] {
  return [BIN, "run", "--no-daemon", "--config", "codegen.config.mjs", file];
}

/** Writes `program` to `tasks/<name>.ts`; returns the path relative to the project. */
function program(name: string, source: string): string {
  const file = `tasks/${name}.ts`;
  mkdirSync(path.join(project, "tasks"), { recursive: true });
  writeFileSync(path.join(project, file), source);
  return file;
}

/** Runs `command args…` in the project and collects what it printed. */
function collect(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  onOutput?: (all: string, write: (text: string) => void) => void,
): Promise<CliResult> {
  const child = spawn(command, args, { cwd: project, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const write = (text: string) => child.stdin.write(text);
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    onOutput?.(stdout, write);
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} ran over its time:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the program on a pseudo-terminal; once the question shows, types `answer` and Enter.
 * The terminal's output (the run's stdout and stderr, and the question) comes back as stdout.
 */
function onTerminal(
  file: string,
  answer: string | undefined,
  env = runEnv(),
  stty?: string,
): Promise<CliResult> {
  const run = [process.execPath, ...runArgs(file)].map((a) => `'${a}'`).join(" ");
  const command = stty === undefined ? run : `stty ${stty}; ${run}`;
  let answered = false;
  return collect("script", ["-qfec", command, "/dev/null"], env, (all, write) => {
    if (answer === undefined || answered || !all.includes("[y/N]")) return;
    answered = true;
    write(`${answer}\r`);
  });
}

const CREATE = (dir: string) => `import { createDirectory } from "../servers/fs/createDirectory.js";
import { ApprovalError } from "mcp-codegen/runtime";
try {
  await createDirectory({ path: ${JSON.stringify(dir)} });
  console.log("CREATED");
} catch (error) {
  if (!(error instanceof ApprovalError)) throw error;
  console.log(JSON.stringify({ code: error.code, answer: error.answer, rule: error.rule, message: error.message }));
}
`;

describe("allow and deny through mcp-codegen run", () => {
  it("refuses a denied tool through its stub and through callMcpTool: catchable by class and code, nothing written", async () => {
    const target = path.join(data(), "denied.txt");
    const file = program(
      "denied",
      `import { writeFile } from "../servers/fs/writeFile.js";
import { callMcpTool, ToolDeniedError } from "mcp-codegen/runtime";
const seen = [];
for (const call of [
  () => writeFile({ path: ${JSON.stringify(target)}, content: "x" }),
  () => callMcpTool("fs", "write_file", { path: ${JSON.stringify(target)}, content: "x" }),
]) {
  try {
    await call();
    seen.push("CALLED");
  } catch (error) {
    seen.push({ denied: error instanceof ToolDeniedError, code: error.code, rule: error.rule, glob: error.glob, tool: error.tool, server: error.server, message: error.message });
  }
}
console.log(JSON.stringify(seen));
`,
    );
    const result = await collect(process.execPath, runArgs(file), runEnv());
    expect(result.stderr).toBe("");
    const seen = JSON.parse(result.stdout) as unknown[];
    const refusal = {
      denied: true,
      code: "TOOL_DENIED",
      rule: "servers.fs.deny",
      glob: "write_*",
      tool: "write_file",
      server: "fs",
      message:
        'tool "write_file" of server "fs" may not be called: it matches "write_*" in servers.fs.deny. ' +
        'The call was not made. To let programs call it, remove "write_*" from servers.fs.deny in the config.',
    };
    expect(seen).toEqual([refusal, refusal]);
    expect(existsSync(target)).toBe(false);
  });
});

describe("a plain Node program importing the runtime", () => {
  it("is refused alike: the policy is the runtime's, not the sandbox's", async () => {
    const target = path.join(data(), "plain.txt");
    writeFileSync(
      path.join(project, "plain.mjs"),
      `import { callMcpTool, closeConnections } from ${JSON.stringify(path.join(ROOT, "dist/runtime/index.js"))};
try {
  await callMcpTool("fs", "write_file", { path: ${JSON.stringify(target)}, content: "x" });
  console.log("CALLED");
} catch (error) {
  console.log(error.name, error.code, error.rule);
} finally {
  await closeConnections();
}
`,
    );
    const result = await collect(
      process.execPath,
      ["plain.mjs"],
      runEnv({ MCP_CODEGEN_CONFIG: "codegen.config.mjs" }),
    );
    expect(result.stdout.trim()).toBe("ToolDeniedError TOOL_DENIED servers.fs.deny");
    expect(existsSync(target)).toBe(false);
  });
});

describe("approve through mcp-codegen run", () => {
  it("with no terminal, the call fails naming the rule and what to do; nothing is created", async () => {
    const dir = path.join(data(), "no-terminal");
    const file = program(
      "no-terminal",
      `import { createDirectory } from "../servers/fs/createDirectory.js";
await createDirectory({ path: ${JSON.stringify(dir)} });
`,
    );
    // A session of its own: no controlling terminal, whatever the test runs in.
    const result = await collect("setsid", ["-w", process.execPath, ...runArgs(file)], runEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `ApprovalError: tool "create_directory" of server "fs" needs a person's yes before each call ` +
        `(it matches "create_directory" in servers.fs.approve.tools), and nobody can be asked: there is ` +
        `no terminal to ask on (/dev/tty cannot be opened: no controlling terminal). The call was not made. ` +
        `Run the program from a terminal to be asked, or, to let programs call it without asking, ` +
        `remove "create_directory" from servers.fs.approve.tools in the config.`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("on a terminal, y lets the call through, after a question showing server, tool and arguments", async () => {
    const dir = path.join(data(), "approved");
    const result = await onTerminal(program("yes", CREATE(dir)), "y");
    expect(result.code).toBe(0);
    const output = result.stdout.replaceAll("\r\n", "\n");
    expect(output).toContain(
      `mcp-codegen: a program calls tool "create_directory" of server "fs".\n` +
        `  It needs your yes: it matches "create_directory" in servers.fs.approve.tools.\n` +
        `  Arguments:\n` +
        `    {\n` +
        `      "path": ${JSON.stringify(dir)}\n` +
        `    }\n` +
        `Allow this call? [y/N] y\n`,
    );
    expect(output).toContain("CREATED");
    expect(existsSync(dir)).toBe(true);
  });

  it("on a terminal left in raw mode (Enter is a carriage return, nothing is buffered by line), y still answers", async () => {
    const dir = path.join(data(), "raw");
    const result = await onTerminal(program("raw", CREATE(dir)), "y", runEnv(), "raw");
    expect(result.stdout).toContain("CREATED");
    expect(existsSync(dir)).toBe(true);
  });

  it("on a terminal, n (or anything but y) refuses the call with ApprovalError; nothing is created", async () => {
    const dir = path.join(data(), "refused");
    const result = await onTerminal(program("no", CREATE(dir)), "n");
    expect(result.code).toBe(0);
    const line = result.stdout.split("\n").find((l) => l.startsWith("{"));
    expect(JSON.parse(line ?? "null")).toMatchObject({
      code: "NOT_APPROVED",
      answer: "no",
      rule: "servers.fs.approve.tools",
    });
    expect(existsSync(dir)).toBe(false);
    const other = await onTerminal(program("maybe", CREATE(dir)), "sure");
    expect(other.stdout).toContain('"answer":"no"');
    expect(existsSync(dir)).toBe(false);
  });

  it("arguments cannot forge the question: line breaks, escape sequences and bidi controls are shown escaped", async () => {
    const dir = path.join(data(), "forged");
    const evil = `${dir}"\n  It needs your yes: nothing.\n${ESC}[2J${ESC}]0;title\u0007\u202eexe.txt\r`;
    const result = await onTerminal(program("forged", CREATE(evil)), "n");
    const question = result.stdout.slice(result.stdout.indexOf("mcp-codegen: a program"));
    expect(question).toContain(
      `"path": ${JSON.stringify(dir).slice(0, -1)}\\"\\n  It needs your yes: nothing.\\n\\u001b[2J\\u001b]0;title\\u0007\\u202eexe.txt\\r"`,
    );
    expect(question.split("It needs your yes").length).toBe(3); // ours, and the escaped copy
    expect(question).not.toContain(ESC);
    expect(question).not.toContain("\u202e");
    expect(question).not.toContain("\u0007");
  });

  it("what the program prints while a question waits is held until it is answered, then shown", async () => {
    const dir = path.join(data(), "held");
    const file = program(
      "held",
      `import { createDirectory } from "../servers/fs/createDirectory.js";
let n = 0;
const timer = setInterval(() => console.log(\`FAKE \${n++}\`), 10);
await createDirectory({ path: ${JSON.stringify(dir)} });
clearInterval(timer);
console.log(\`CREATED after \${n}\`);
`,
    );
    const command = [process.execPath, ...runArgs(file)].map((a) => `'${a}'`).join(" ");
    let answered = false;
    const result = await collect(
      "script",
      ["-qfec", command, "/dev/null"],
      runEnv(),
      (all, write) => {
        if (answered || !all.includes("[y/N]")) return;
        answered = true;
        // Long enough for the program to print many lines meanwhile.
        setTimeout(() => write("y\r"), 500);
      },
    );
    const output = result.stdout.replaceAll("\r\n", "\n");
    const asked = output.indexOf("mcp-codegen: a program calls");
    const answer = output.indexOf("[y/N] y\n");
    expect(asked).toBeGreaterThan(-1);
    expect(answer).toBeGreaterThan(asked);
    expect(output.slice(asked, answer)).not.toContain("FAKE");
    // Held, not lost: every line printed comes, in order, up to the last before the call ended.
    const printed = Number(/CREATED after (\d+)/.exec(output)?.[1]);
    const lines = output.match(/^FAKE \d+$/gm) ?? [];
    expect(lines).toEqual(Array.from({ length: printed }, (_, i) => `FAKE ${i}`));
    expect(output.slice(answer)).toContain("FAKE");
  });

  it("with CI set, nobody is asked even on a terminal", async () => {
    const dir = path.join(data(), "ci");
    const result = await onTerminal(program("ci", CREATE(dir)), undefined, runEnv({ CI: "true" }));
    expect(result.stdout).not.toContain("[y/N]");
    expect(result.stdout).toContain("the CI environment variable is set (nobody answers in CI)");
    expect(existsSync(dir)).toBe(false);
  });

  it("asks before each call, one question at a time, even for calls made at once", async () => {
    const dirs = ["one", "two"].map((name) => path.join(data(), `each-${name}`));
    const file = program(
      "each",
      `import { createDirectory } from "../servers/fs/createDirectory.js";
await Promise.all(${JSON.stringify(dirs)}.map((path) => createDirectory({ path })));
console.log("BOTH");
`,
    );
    const command = [process.execPath, ...runArgs(file)].map((a) => `'${a}'`).join(" ");
    let answered = 0;
    const result = await collect(
      "script",
      ["-qfec", command, "/dev/null"],
      runEnv(),
      (all, write) => {
        const asked = all.split("[y/N]").length - 1;
        if (asked > answered) {
          answered = asked;
          write("y\r");
        }
      },
    );
    expect(answered).toBe(2);
    expect(result.stdout).toContain("BOTH");
    for (const dir of dirs) expect(existsSync(dir)).toBe(true);
  });
});
