/**
 * `mcp-codegen run` end to end (the built CLI, `npm run build` first): programs importing the
 * committed stubs of the official and fixture servers, and hostile programs, each stopped with
 * a clear message and nothing left running.
 */
import { createServer, type Server } from "node:http";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exitCode,
  fixture,
  newMarker,
  processesWithMarker,
  ROOT,
  runCli,
  tempProject,
} from "../e2e/cli.js";

const CONFIG = path.join(ROOT, "codegen.config.ts");
const OUT = path.join(ROOT, "out");

/** Runs `program` (TypeScript source) as a file in a fresh folder under test/.tmp. */
async function runProgram(
  program: string,
  args: readonly string[] = [],
  options: { env?: Record<string, string | undefined>; config?: string } = {},
) {
  const dir = tempProject({ "task.ts": program }, true);
  const result = await runCli(
    ["run", "--config", options.config ?? CONFIG, ...args, path.join(dir, "task.ts")],
    { cwd: dir, timeoutMs: 60_000, ...(options.env ? { env: options.env } : {}) },
  );
  return { ...result, dir };
}

/**
 * This file's own temp folder, inherited by every CLI it starts: their sandboxes' run folders
 * (`<TMPDIR>/mcp-codegen-run-*`, named on each sandbox's command line) are then this file's
 * alone, so that the check below never sees another test's runs or anyone's daemon.
 */
const OWN_TMPDIR = realpathSync(mkdtempSync(path.join(tmpdir(), "mcp-codegen-test-run-")));
process.env.TMPDIR = OWN_TMPDIR;

/**
 * Processes of a sandboxed program started by this file that are still running: those of a run
 * that ended (orphans handed to init, or left under a runner) and those of a live daemon alike.
 */
function sandboxProcesses(): string[] {
  const ours = `${OWN_TMPDIR}/mcp-codegen-run-`;
  const sandboxed: string[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (state !== "Z" && cmdline.includes(ours)) sandboxed.push(entry);
    } catch {
      // gone meanwhile
    }
  }
  return sandboxed;
}

afterAll(() => {
  expect(sandboxProcesses()).toEqual([]);
  rmSync(OWN_TMPDIR, { recursive: true, force: true });
});

describe("programs calling generated stubs", () => {
  it("calls official and fixture servers through the stubs and prints typed results", async () => {
    const { code, stdout, stderr } = await runProgram(
      `import { getSum, echo } from "servers/everything";
import { readTextFile } from "servers/filesystem/readTextFile.js";
import * as schemas from "servers/schemas";

const sum = await getSum({ a: 2, b: 40 });
const echoed = await echo({ message: "hello" });
const file = await readTextFile({ path: ${JSON.stringify(path.join(ROOT, "fixtures/files/hello.txt"))} });
const weather = await schemas.getWeather({ city: "Lisbon" });
console.log(JSON.stringify({
  sum: sum.text,
  echoed: echoed.text,
  file: file.content.trim(),
  temperatureIsNumber: typeof weather.temperature === "number",
}));
export default async () => ({ returned: true });
`,
    );
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const [line, ...rest] = stdout.trimEnd().split("\n");
    expect(JSON.parse(line!)).toEqual({
      sum: expect.stringContaining("42"),
      echoed: expect.stringContaining("hello"),
      file: readFileSync(path.join(ROOT, "fixtures/files/hello.txt"), "utf8").trim(),
      temperatureIsNumber: true,
    });
    expect(JSON.parse(rest.join("\n"))).toEqual({ returned: true });
  });

  it("runs --eval code and code from stdin, with top-level await", async () => {
    const evaluated = await runCli(
      [
        "run",
        "--config",
        CONFIG,
        "--eval",
        "const n: number = await Promise.resolve(7); console.log(n * 6);",
      ],
      { cwd: ROOT },
    );
    expect(evaluated).toMatchObject({ code: 0, stdout: "42\n" });
    const piped = await runCli(["run", "--config", CONFIG], {
      cwd: ROOT,
      input: 'const where: string = await Promise.resolve("stdin");\nconsole.log(where);\n',
    });
    expect(piped).toMatchObject({ code: 0, stdout: "stdin\n" });
  });

  it("runs a program as a module: strict, import.meta its own, and its own beforeExit work", async () => {
    const result = await runCli(
      [
        "run",
        "--config",
        CONFIG,
        "--eval",
        [
          "/*! a licence comment, which esbuild would move to the end */",
          "const strict = (function (this: unknown) { return this === undefined; })();",
          "console.log(strict, this === undefined, import.meta.url.startsWith('file:///'));",
          "process.on('beforeExit', () => { if (!(globalThis as any).late) { (globalThis as any).late = true; setTimeout(() => console.log('late'), 10); } });",
          "export default () => typeof import.meta.resolve;",
        ].join("\n"),
      ],
      { cwd: ROOT },
    );
    expect(result).toMatchObject({ code: 0, stdout: 'true true true\n"function"\nlate\n' });
  });

  it("runs a program whose own names or exports would break the function it is bundled into", async () => {
    const result = await runCli(
      [
        "run",
        "--config",
        CONFIG,
        "--eval",
        [
          "const __mcpCodegenImportMeta = 'mine'; var __mcpCodegenExports = 1; const mcpCodegenProgram = 2;",
          "console.log(__mcpCodegenImportMeta, __mcpCodegenExports + mcpCodegenProgram);",
          'const odd = "named oddly"; export { odd as "a, b", odd as "c{d}" };',
          "export default () => 'called';",
        ].join("\n"),
      ],
      { cwd: ROOT },
    );
    expect(result).toMatchObject({ code: 0, stdout: 'mine 3\n"called"\n' });
  });

  it("fails with exit 1 and the tool's error when a tool reports one", async () => {
    const project = tempProject({
      ".mcp.json": { mcpServers: { hostile: fixture("hostile") } },
      "task.ts": `import { callMcpTool, McpToolError } from "mcp-codegen/runtime";
try {
  await callMcpTool("hostile", "no-such-tool", {});
} catch (error) {
  console.log("caught", (error as Error).name, (error as { rpcCode?: unknown }).rpcCode);
}
throw new Error("the program gave up");
`,
    });
    const result = await runCli(["run", "--config", ".mcp.json", "task.ts"], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("caught McpProtocolError -32602\n");
    // As Node prints a module's top level, with the project's names for files: nothing of the
    // sandbox's folder, nor of the function the bundle is.
    expect(result.stderr).toMatch(/^Error: the program gave up\n {4}at task\.ts:7:7\n/);
    expect(result.stderr).not.toContain("mcp-codegen-run-");
  });

  it("imports skills/ and relative files, from a project of its own", async () => {
    const project = tempProject({
      ".mcp.json": { mcpServers: { flaky: fixture("flaky") } },
      "skills/shout.ts": `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
export async function shout(message: string): Promise<string> {
  const echoed = await callMcpTool<ContentResult>("flaky", "echo", { message });
  return echoed.json<{ message: string }>().message.toUpperCase();
}
`,
      "tasks/lib/suffix.ts": 'export const suffix = "!";\n',
      "tasks/task.ts": `import { shout } from "skills/shout.js";
import { suffix } from "./lib/suffix.js";
console.log((await shout("hello")) + suffix);
`,
    });

    const result = await runCli(["run", "--no-daemon", "--config", ".mcp.json", "tasks/task.ts"], {
      cwd: project,
    });
    expect(result).toMatchObject({ code: 0, stdout: "HELLO!\n" });
  });

  it("imports nothing beside a program at the project's top (its folder is not its own there)", async () => {
    const project = tempProject({
      ".mcp.json": { mcpServers: { flaky: fixture("flaky") } },
      "credentials.json": { token: "project-secret-canary" },
      "task.ts": 'import c from "./credentials.json";\nconsole.log(JSON.stringify(c));\n',
    });
    const result = await runCli(["run", "--no-daemon", "--config", ".mcp.json", "task.ts"], {
      cwd: project,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      'task.ts:1:15: error: "./credentials.json" is outside what a program may import: its own folder (below the project\'s)',
    );
    expect(result.stderr).not.toContain("project-secret-canary");
  });

  it("keeps keys JavaScript treats specially as plain keys, there and back", async () => {
    const project = tempProject({
      ".mcp.json": { mcpServers: { flaky: fixture("flaky") } },
      "task.ts": `import { callMcpTool } from "mcp-codegen/runtime";
const input = { special: true, ["__proto__"]: "in", constructor: "c" };
const output = await callMcpTool<Record<string, unknown>>("flaky", "keys", input);
console.log(Object.getPrototypeOf(output) === Object.prototype, JSON.stringify(output));
`,
    });
    const result = await runCli(["run", "--no-daemon", "--config", ".mcp.json", "task.ts"], {
      cwd: project,
    });
    expect(result).toMatchObject({
      code: 0,
      stdout:
        'true {"__proto__":"own","constructor":"made","toString":1,' +
        '"received":["special","__proto__","constructor"]}\n',
    });
  });

  it("--unsafe runs the file with tsx in the runner's process, and says so", async () => {
    const { code, stdout, stderr } = await runProgram(
      `import { getWeather } from ${JSON.stringify(path.join(OUT, "servers/schemas/getWeather.js"))};
const weather = await getWeather({ city: "Lisbon" });
console.log(typeof weather.temperature, typeof process.env.PATH);
`,
      ["--unsafe"],
    );
    expect(stderr).toContain("--unsafe: running the program in this process with tsx");
    expect(code).toBe(0);
    expect(stdout).toBe("number string\n");
  });

  it("passes progress to the program, cancels an aborted call on the server, and reports a tool's error", async () => {
    const project = tempProject({ ".mcp.json": { mcpServers: { flaky: fixture("flaky") } } });
    const cancelFile = path.join(project, "cancelled.txt");
    writeFileSync(
      path.join(project, "task.ts"),
      `import { callMcpTool, McpToolError } from "mcp-codegen/runtime";
const steps: number[] = [];
await callMcpTool("flaky", "slow", { ms: 300, steps: 3 }, { onProgress: (p) => steps.push(p.progress) });
console.log("progress", steps.join(","));
try {
  await callMcpTool("flaky", "slow", { ms: 5000, cancelFile: ${JSON.stringify(cancelFile)} }, { signal: AbortSignal.timeout(300) });
} catch (error) {
  console.log("aborted", (error as Error).name);
}
try {
  await callMcpTool("flaky", "fail", { message: "the disk is full" });
} catch (error) {
  console.log("caught", error instanceof McpToolError, (error as McpToolError).tool);
}
await callMcpTool("flaky", "fail", { message: "nobody caught this" });
`,
    );
    const result = await runCli(["run", "--no-daemon", "--config", ".mcp.json", "task.ts"], {
      cwd: project,
    });
    expect(result.stdout).toBe("progress 1,2,3\naborted TimeoutError\ncaught true fail\n");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'McpToolError: tool "fail" of server "flaky" returned an error: nobody caught this',
    );
    expect(result.stderr).toMatch(/task\.ts:\d+:\d+/);
    expect(readFileSync(cancelFile, "utf8")).toMatch(/^cancelled \d+:/);
  });

  it("gives a sandboxed program a wrong answer as our typed error, and the next call works", async () => {
    const hostile = fixture("hostile", ["--misbehave", "call-results"]);
    const project = tempProject({ ".mcp.json": { mcpServers: { hostile } } });
    writeFileSync(
      path.join(project, "task.ts"),
      `import { callMcpTool, InvalidResultError, McpProtocolError } from "mcp-codegen/runtime";
for (const tool of ["escape_error", "bad_base64"]) {
  try {
    await callMcpTool("hostile", tool, {});
  } catch (error) {
    const e = error as Error;
    console.log(tool, e instanceof McpProtocolError, e instanceof InvalidResultError, JSON.stringify(e.message));
  }
}
console.log((await callMcpTool("hostile", "ping", {})).text);
`,
    );
    const result = await runCli(["run", "--no-daemon", "--config", ".mcp.json", "task.ts"], {
      cwd: project,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      'escape_error true false "tool \\"escape_error\\" of server \\"hostile\\" failed with JSON-RPC error -32603: boom done"\n' +
        'bad_base64 false true "tool \\"bad_base64\\" of server \\"hostile\\" answered with a result MCP does not allow: content[0] has \\"data\\" that is not base64 (it starts \\"not base64 at all!\\"). The server is at fault (report it to its authors); the connection is still usable."\n' +
        "{}\n",
    );
    expect(result.code).toBe(0);
  });

  it("a stub takes the call's options: a timeout, a signal, progress", async () => {
    const { code, stdout, stderr } = await runProgram(
      `import { getWeather } from "servers/schemas";
const weather = await getWeather(
  { city: "Lisbon" },
  { timeout: 20_000, signal: AbortSignal.timeout(30_000), onProgress: () => {} },
);
console.log(typeof weather.temperature);
`,
      ["--typecheck"],
    );
    expect(stderr).toBe("");
    expect({ code, stdout }).toEqual({ code: 0, stdout: "number\n" });
  });

  it("--typecheck stops a wrong argument before any tool is called", async () => {
    const { code, stderr } = await runProgram(
      `import { getWeather } from "servers/schemas";
await getWeather({ city: 42 });
`,
      ["--typecheck"],
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/task\.ts\(2,\d+\): error TS2322/);
    expect(stderr).toContain("the program was not run");
  });

  it("ends the sandbox it started early when the run stops before the program", async () => {
    const dir = tempProject({ "task.ts": 'console.log("never");\n' }, true);
    const result = await runCli(["run", "--config", "missing.config.ts", "task.ts"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Config file not found");
    expect(result.stdout).toBe("");
    expect(sandboxProcesses()).toEqual([]);
  });

  it("refuses to run without the OS sandbox, in one line, and names --unsafe", async () => {
    const { code, stdout, stderr } = await runProgram('console.log("ran");\n', ["--no-daemon"], {
      env: { PATH: "/nonexistent" },
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "mcp-codegen run: cannot run the program in a sandbox: bubblewrap (`bwrap`) is not installed (Debian, Ubuntu: apt-get install bubblewrap). Nothing was run; --unsafe runs it without any boundary, with your privileges.\n",
    );
  });

  it("refuses in one line when bubblewrap cannot make its sandbox (user namespaces forbidden)", async () => {
    const fakeBin = tempProject({}, true);
    // What bwrap prints in a container that forbids user namespaces.
    writeFileSync(
      path.join(fakeBin, "bwrap"),
      "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    const { code, stdout, stderr } = await runProgram('console.log("ran");\n', ["--no-daemon"], {
      env: { PATH: `${fakeBin}:${process.env.PATH ?? ""}` },
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "mcp-codegen run: cannot run the program in a sandbox: bubblewrap could not make its sandbox here (bwrap: setting up uid map: Permission denied; a container may forbid user namespaces). Nothing was run; --unsafe runs it without any boundary, with your privileges.\n",
    );
  });

  it("says which file could not be compiled", async () => {
    const { code, stderr } = await runProgram(
      `import { nope } from "servers/nothing-here";\nawait nope();\n`,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('cannot find "servers/nothing-here"');
  });
});

describe("the runner's own processes", () => {
  it("stops its bundler once the program is bundled: none is left while the program runs", async () => {
    const marker = newMarker();
    const running = runProgram(
      `import * as fs from "node:fs";
fs.writeFileSync("workspace/started", "");
await new Promise((resolve) => setTimeout(resolve, 3000));
// Gone again before the commit: the project's real workspace is left as it was.
fs.unlinkSync("workspace/started");
console.log("done");
`,
      [],
      { env: marker },
    );
    const started = () =>
      readdirSync(OWN_TMPDIR).some((name) =>
        existsSync(path.join(OWN_TMPDIR, name, "workspace", "started")),
      );
    for (let waited = 0; !started() && waited < 600; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(started()).toBe(true);
    // esbuild's service inherits the runner's environment, marker included (the sandbox gets
    // none). It is sent SIGTERM once the bundle is made: gone within moments, on a busy
    // machine too, and long before the program's sleep ends and the runner exits.
    let finished = false;
    void running.finally(() => (finished = true));
    const commandLine = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return ""; // gone meanwhile
      }
    };
    const bundlers = () =>
      processesWithMarker(marker).filter((pid) => commandLine(pid).includes("esbuild"));
    for (let waited = 0; bundlers().length > 0 && waited < 40; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect({ bundlers: bundlers(), finished }).toEqual({ bundlers: [], finished: false });
    const result = await running;
    expect(result, result.stderr).toMatchObject({ code: 0, stdout: "done\n" });
  });
});

describe("hostile programs", () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end("reached");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("stops an endless loop at the time limit with exit 124", async () => {
    const started = Date.now();
    const { code, stderr } = await runProgram("for (;;) {}\n", ["--timeout", "1500"]);
    expect(code).toBe(124);
    expect(stderr).toContain("stopped after 1500 ms, its time limit");
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(sandboxProcesses()).toEqual([]);
  });

  it("stops a memory blow-up through Buffers with exit 137", async () => {
    const { code, stderr } = await runProgram(
      `const kept: Buffer[] = [];
for (;;) {
  kept.push(Buffer.alloc(32 * 1024 * 1024, 1));
  await new Promise((resolve) => setTimeout(resolve, 5));
}
`,
      ["--memory", "128", "--timeout", "30000"],
    );
    expect(code).toBe(137);
    expect(stderr).toMatch(/used \d+ MB of memory, over its limit of 128 MB/);
  });

  it("caps the heap without a V8 flag, so that Node's modules load from its code cache", async () => {
    const heapOf = async (memory: string) => {
      const { code, stdout, stderr } = await runProgram(
        `import { getHeapStatistics } from "node:v8";
import { totalmem } from "node:os";
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
console.log(JSON.stringify({ heap: mb(getHeapStatistics().heap_size_limit), total: mb(totalmem()), flags: process.execArgv.filter((flag) => flag.startsWith("--max-")) }));
`,
        ["--memory", memory],
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      return JSON.parse(stdout) as { heap: number; total: number; flags: string[] };
    };
    // The default: V8 sizes its heap from the sandbox's /proc/meminfo, which says twice that.
    const byMemory = await heapOf("512");
    expect(byMemory).toMatchObject({ total: 1024, flags: [] });
    expect(byMemory.heap).toBeGreaterThanOrEqual(512);
    expect(byMemory.heap).toBeLessThan(600);
    // Below what V8 derives from memory: the flag, and the machine's own figure.
    const byFlag = await heapOf("128");
    expect(byFlag.flags).toEqual(["--max-old-space-size=128"]);
    expect(byFlag.heap).toBeLessThan(256);
  });

  // 96 MB: capped by V8's flag; 256 MB: by the sandbox's /proc/meminfo.
  it.each(["96", "256"])("stops a heap blow-up with exit 137 (--memory %s)", async (memory) => {
    const { code, stderr } = await runProgram(
      "const kept: number[][] = [];\nfor (;;) kept.push(new Array(100_000).fill(1.5));\n",
      ["--memory", memory, "--timeout", "30000"],
    );
    expect(code).toBe(137);
    expect(stderr).toMatch(/memory|heap/);
  });

  it("cannot read ~/.ssh or a file outside the project's workspace", async () => {
    const { code, stdout, stderr } = await runProgram(
      `import * as fs from "node:fs";
for (const file of [${JSON.stringify(path.join(homedir(), ".ssh"))}, ${JSON.stringify(path.join(ROOT, "package.json"))}]) {
  try {
    fs.readdirSync(file);
    console.log("read", file);
  } catch (error) {
    console.log("denied", (error as { code?: string }).code);
  }
}
fs.readFileSync(${JSON.stringify(path.join(ROOT, "package.json"))});
`,
    );
    expect(stdout).toBe("denied ERR_ACCESS_DENIED\ndenied ERR_ACCESS_DENIED\n");
    expect(code).toBe(1);
    expect(stderr).toContain("the sandbox refused FileSystemRead");
  });

  it("writes inside workspace/ and nowhere else", async () => {
    const name = `run-test-${process.pid}-${Date.now()}.txt`;
    const { code, stdout } = await runProgram(
      `import * as fs from "node:fs";
fs.writeFileSync("workspace/${name}", "kept");
console.log(fs.readFileSync("workspace/${name}", "utf8"));
for (const target of [${JSON.stringify(path.join(OUT, "servers", name))}, "/tmp/${name}"]) {
  try {
    fs.writeFileSync(target, "escaped");
    console.log("wrote", target);
  } catch (error) {
    console.log("denied", (error as { code?: string }).code);
  }
}
`,
    );
    const written = path.join(OUT, "workspace", name);
    try {
      expect(code).toBe(0);
      expect(stdout).toBe("kept\ndenied ERR_ACCESS_DENIED\ndenied ERR_ACCESS_DENIED\n");
      expect(readFileSync(written, "utf8")).toBe("kept");
      expect(existsSync(path.join(OUT, "servers", name))).toBe(false);
      expect(existsSync(`/tmp/${name}`)).toBe(false);
    } finally {
      await import("node:fs").then((fs) => fs.rmSync(written, { force: true }));
    }
  });

  it("sees none of the runner's environment", async () => {
    const { code, stdout } = await runProgram(
      "console.log(JSON.stringify({ secret: process.env.RUN_TEST_SECRET ?? null, keys: Object.keys(process.env) }));\n",
      [],
      { env: { RUN_TEST_SECRET: "hunter2-run-test" } },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ secret: null, keys: [] });
  });

  it("sees the variables the config's run.env allows, and only those", async () => {
    const project = tempProject({
      "mcp-codegen.config.mjs": `export default ${JSON.stringify({
        servers: { flaky: fixture("flaky") },
        run: { env: ["RUN_TEST_ALLOWED"] },
      })};\n`,
      "task.ts": "console.log(JSON.stringify(process.env));\n",
    });
    const { code, stdout } = await runCli(["run", "--no-daemon", "task.ts"], {
      cwd: project,
      env: { RUN_TEST_ALLOWED: "visible", RUN_TEST_SECRET: "hunter2-run-test" },
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ RUN_TEST_ALLOWED: "visible" });
  });

  it("cannot start a worker thread or load a native addon", async () => {
    const { code, stdout } = await runProgram(
      `import { Worker } from "node:worker_threads";
try {
  new Worker("1", { eval: true });
  console.log("worker started");
} catch (error) {
  console.log("worker", (error as { code?: string }).code);
}
try {
  process.dlopen({ exports: {} } as NodeJS.Module, "/nonexistent/addon.node");
  console.log("addon loaded");
} catch (error) {
  console.log("addon", (error as { code?: string }).code);
}
`,
    );
    expect(code).toBe(0);
    expect(stdout).toBe("worker ERR_ACCESS_DENIED\naddon ERR_DLOPEN_DISABLED\n");
  });

  it("cannot start a process", async () => {
    const { code, stderr } = await runProgram(
      'import { execSync } from "node:child_process";\nexecSync("id");\n',
    );
    expect(code).toBe(1);
    expect(stderr).toContain("the sandbox refused ChildProcess");
  });

  it("cannot reach a server on 127.0.0.1", async () => {
    const before = hits;
    const { code, stderr } = await runProgram(
      `const response = await fetch("http://127.0.0.1:${port}/");\nconsole.log(await response.text());\n`,
    );
    expect(code).toBe(1);
    expect(stderr).toContain("the sandbox has no network");
    expect(hits).toBe(before);
  });

  it("cuts a huge print at --max-output with a marker saying how much", async () => {
    const { code, stdout } = await runProgram(
      'process.stdout.write("x".repeat(5_000_000));\nconsole.log("end");\n',
      ["--max-output", "4096"],
    );
    expect(code).toBe(0);
    const [kept, marker] = stdout.split("\n");
    expect(kept).toBe("x".repeat(4096));
    expect(marker).toBe(
      "[mcp-codegen run: output truncated: 4995908 more bytes after the first 4096 were cut (--max-output 4096)]",
    );
  });
});

describe("mcp-codegen daemon", () => {
  it("keeps a server running between runs, which use it; runs fall back without it", async () => {
    const project = tempProject({
      ".mcp.json": { mcpServers: { flaky: fixture("flaky") } },
      "task.ts": `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
console.log((await callMcpTool<ContentResult>("flaky", "pid", {})).text);
`,
    });
    const { spawn } = await import("node:child_process");
    const daemon = spawn(
      process.execPath,
      [path.join(ROOT, "bin/mcp-codegen.js"), "daemon", "--config", ".mcp.json"],
      { cwd: project, stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    daemon.stderr.setEncoding("utf8").on("data", (text: string) => (log += text));
    try {
      const started = Date.now();
      while (!log.includes('server "flaky": connected')) {
        if (Date.now() - started > 20_000) throw new Error(`the daemon did not start:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const status = await runCli(["daemon", "--status", "--config", ".mcp.json"], {
        cwd: project,
      });
      expect(status.code).toBe(0);
      const first = await runCli(["run", "--config", ".mcp.json", "task.ts"], { cwd: project });
      const second = await runCli(["run", "--config", ".mcp.json", "task.ts"], { cwd: project });
      expect(first).toMatchObject({ code: 0 });
      expect(second).toMatchObject({ code: 0 });
      // The same server process answered both runs: the daemon's.
      expect(first.stdout).toMatch(/^\d+\n$/);
      expect(second.stdout).toBe(first.stdout);
      // The daemon enforces the limits too, and goes on serving after stopping a program.
      writeFileSync(path.join(project, "loop.ts"), "for (;;) {}\n");
      const loop = await runCli(["run", "--config", ".mcp.json", "--timeout", "1000", "loop.ts"], {
        cwd: project,
      });
      expect(loop.code).toBe(124);
      expect(loop.stderr).toContain("stopped after 1000 ms");
      const third = await runCli(["run", "--config", ".mcp.json", "task.ts"], { cwd: project });
      expect(third).toMatchObject({ code: 0, stdout: first.stdout });
      const alone = await runCli(["run", "--no-daemon", "--config", ".mcp.json", "task.ts"], {
        cwd: project,
      });
      expect(alone.code).toBe(0);
      expect(alone.stdout).not.toBe(first.stdout);

      const stop = await runCli(["daemon", "--stop", "--config", ".mcp.json"], { cwd: project });
      expect(stop.stderr).toContain("stopped");
      const code = await exitCode(daemon);
      expect(code).toBe(0);
      // The daemon's server ended with it.
      expect(() => process.kill(Number(first.stdout), 0)).toThrow();
      // Without a daemon, a run starts its own server.
      const after = await runCli(["run", "--config", ".mcp.json", "task.ts"], { cwd: project });
      expect(after.code).toBe(0);
      expect(after.stdout).not.toBe(first.stdout);
    } finally {
      daemon.kill("SIGKILL");
    }
    // Nine runs and a daemon: on two busy cores (the whole suite at once) more than 30 s.
  }, 90_000);
});
