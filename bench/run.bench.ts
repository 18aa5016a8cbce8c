/**
 * `npm run bench:run`: what the sandbox costs, through the real CLI (`npm run build` first).
 *
 * Targets (issues #3 and #7), each against a reference measured in the same run:
 * - `mcp-codegen run` of a program that prints one line takes at most 0.6× `node --import tsx`
 *   on the same file without the daemon, and at most 0.35× with it;
 * - a tool call from the sandboxed program, through the host, costs at most 0.5 ms more than
 *   the same call made in the host with `callMcpTool`.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./median.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "mcp-codegen.js");
// The temporary folder has no node_modules: give Node tsx's loader by its address.
const tsxLoader = import.meta.resolve("tsx");
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);

function run(
  args: string[],
  cwd: string,
  mayFail = false,
  env: NodeJS.ProcessEnv = process.env,
): { ms: number; stdout: string; status: number | null } {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env });
  const ms = performance.now() - start;
  if (result.status !== 0 && !mayFail) {
    throw new Error(`node ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  }
  return { ms, stdout: result.stdout, status: result.status };
}

const dir = mkdtempSync(path.join(tmpdir(), "mcp-codegen-bench-run-"));
const server = {
  command: process.execPath,
  args: [path.join(root, "fixtures", "servers", "schemas.mjs")],
};
writeFileSync(path.join(dir, "mcp.json"), JSON.stringify({ mcpServers: { bench: server } }));
writeFileSync(
  path.join(dir, "hello.ts"),
  'const greeting: string = "hello";\nconsole.log(greeting);\n',
);
// The same loop in both places: warm the connection, then time CALLS sequential calls.
const loop = `
const call = () => callMcpTool("bench", "get_server_time", {});
for (let i = 0; i < 50; i++) await call();
const started = performance.now();
for (let i = 0; i < ${CALLS}; i++) await call();
console.log(((performance.now() - started) * 1000) / ${CALLS});
`;
writeFileSync(
  path.join(dir, "calls.ts"),
  `import { callMcpTool } from "mcp-codegen/runtime";\n${loop}`,
);
writeFileSync(
  path.join(dir, "host-calls.mjs"),
  `import { callMcpTool, closeConnections, setRuntimeConfig } from ${JSON.stringify(path.join(root, "dist/runtime/index.js"))};
import { loadConfig } from ${JSON.stringify(path.join(root, "dist/config/index.js"))};
setRuntimeConfig(await loadConfig({ configFile: "mcp.json", cwd: process.cwd(), env: process.env }));
${loop}
await closeConnections();
`,
);

interface Startup {
  readonly nodeStart: number[];
  readonly tsx: number[];
  readonly runner: number[];
  readonly withDaemon: number[];
}

/** The start-up figures, every process started with `env`: without the daemon, then with it. */
async function measureStartup(env: NodeJS.ProcessEnv): Promise<Startup> {
  const figures: Startup = { nodeStart: [], tsx: [], runner: [], withDaemon: [] };
  // Alternating, so that the machine's ups and downs hit both sides alike.
  for (let i = 0; i < RUNS; i++) {
    figures.nodeStart.push(run(["-e", ""], dir, false, env).ms);
    figures.tsx.push(run(["--import", tsxLoader, "hello.ts"], dir, false, env).ms);
    figures.runner.push(run([bin, "run", "--config", "mcp.json", "hello.ts"], dir, false, env).ms);
  }
  // The same with `mcp-codegen daemon` up: servers connected, the next sandbox already booted.
  const daemon = spawn(process.execPath, [bin, "daemon", "--config", "mcp.json"], {
    cwd: dir,
    stdio: "ignore",
    env,
  });
  try {
    for (
      let waited = 0;
      run([bin, "daemon", "--status", "--config", "mcp.json"], dir, true).status !== 0;
      waited++
    ) {
      if (waited > 100) throw new Error("the daemon did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let i = 0; i < RUNS; i++) {
      figures.tsx.push(run(["--import", tsxLoader, "hello.ts"], dir, false, env).ms);
      figures.withDaemon.push(
        run([bin, "run", "--config", "mcp.json", "hello.ts"], dir, false, env).ms,
      );
    }
  } finally {
    daemon.kill("SIGTERM");
    await new Promise((resolve) => daemon.once("exit", resolve));
  }
  return figures;
}

/**
 * This machine's environment sets NODE_EXTRA_CA_CERTS, which Node 20 reads at every start-up:
 * ~50 ms a process, on both sides of each ratio. Measured as it is, and again without it.
 */
const withoutExtraCerts = { ...process.env };
delete withoutExtraCerts.NODE_EXTRA_CA_CERTS;
const environments: [string, NodeJS.ProcessEnv][] = [["as it is", process.env]];
if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
  environments.push(["without NODE_EXTRA_CA_CERTS", withoutExtraCerts]);
}

const startups: [string, Startup][] = [];
const hostCall: number[] = [];
const sandboxCall: number[] = [];
try {
  for (const [name, env] of environments) startups.push([name, await measureStartup(env)]);
  for (let i = 0; i < Math.max(3, Math.floor(RUNS / 3)); i++) {
    hostCall.push(Number(run(["host-calls.mjs"], dir).stdout.trim()));
    sandboxCall.push(
      Number(
        run([bin, "run", "--no-daemon", "--config", "mcp.json", "calls.ts"], dir).stdout.trim(),
      ),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const extraUs = median(sandboxCall) - median(hostCall);
console.log(`node ${process.version}, ${RUNS} runs, medians`);
console.log("| measurement | value | reference | ratio or difference |");
console.log("| --- | ---: | ---: | ---: |");
const verdicts: string[] = [];
let missed = extraUs > 500;
for (const [name, figures] of startups) {
  const startRatio = median(figures.runner) / median(figures.tsx);
  const daemonRatio = median(figures.withDaemon) / median(figures.tsx);
  const tsx = Math.round(median(figures.tsx));
  console.log(`| **${name}**: \`node -e ''\` | ${Math.round(median(figures.nodeStart))} ms | | |`);
  console.log(
    `| \`mcp-codegen run\` of a one-line program | ${Math.round(median(figures.runner))} ms | \`node --import tsx\`: ${tsx} ms | ${startRatio.toFixed(2)}× |`,
  );
  console.log(
    `| the same, \`mcp-codegen daemon\` up | ${Math.round(median(figures.withDaemon))} ms | | ${daemonRatio.toFixed(2)}× |`,
  );
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  verdicts.push(
    `${name}: run ≤ 0.6× tsx ${met(startRatio <= 0.6)}; with the daemon ≤ 0.35× ${met(daemonRatio <= 0.35)}`,
  );
  // The environment as it is decides; the other is for comparison.
  if (name === "as it is" && (startRatio > 0.6 || daemonRatio > 0.35)) missed = true;
}
console.log(
  `| one tool call from the sandbox (${CALLS} sequential) | ${median(sandboxCall).toFixed(0)} µs | in the host: ${median(hostCall).toFixed(0)} µs | +${(extraUs / 1000).toFixed(3)} ms |`,
);
console.log(
  `targets: ${verdicts.join("; ")}; sandbox call ≤ +0.5 ms ${extraUs <= 500 ? "met" : "MISSED"}`,
);
if (missed) process.exitCode = 1;
