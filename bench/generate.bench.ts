/**
 * `npm run bench`: generation speed on a fixture server with 1,000 tools of varied schemas,
 * end to end through the real CLI (spawn, list, emit, format, write), as a user runs it.
 *
 * Targets (issue #2): a full generation under 4 s, a run that finds nothing changed under 1.5 s.
 * Reference measured in the same run: spawning the server and listing its tools with the SDK
 * alone, the floor no generator can go below.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./median.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "mcp-codegen.js");
const fixture = path.join(root, "fixtures", "servers", "many-tools.mjs");
const TOOLS = Number(process.env.BENCH_TOOLS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function timeCommand(args: string[], cwd: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  }
  return ms;
}

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mcp-codegen-bench-"));
  const config = {
    mcpServers: { many: { command: process.execPath, args: [fixture, "--count", String(TOOLS)] } },
  };
  writeFileSync(path.join(dir, "mcp.json"), JSON.stringify(config));
  return dir;
}

// The floor: spawn the same server and list its tools with the SDK, nothing else. And a
// calibration: how long this machine takes to start Node at all (about 90 ms measured when the
// targets were set), because the speed of this shared machine varies a lot from hour to hour.
const listOnly = path.join(root, "bench", "list-only.mjs");
const nodeStart: number[] = [];
const reference: number[] = [];
const full: number[] = [];
const unchanged: number[] = [];
for (let run = 0; run < RUNS; run++) {
  nodeStart.push(timeCommand(["-e", ""], root));
  reference.push(timeCommand([listOnly, fixture, String(TOOLS)], root));
  const dir = project();
  const args = [bin, "generate", "--config", "mcp.json", "--quiet"];
  full.push(timeCommand(args, dir));
  unchanged.push(timeCommand(args, dir));
  rmSync(dir, { recursive: true, force: true });
}

const rows = [
  ["`node -e ''` (calibration)", median(nodeStart)],
  ["spawn + list only (SDK, reference)", median(reference)],
  [`full generation, ${TOOLS} tools`, median(full)],
  ["rerun, nothing changed", median(unchanged)],
] as const;
const ref = median(reference);
console.log(
  `mcp-codegen ${execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" }).trim()}, node ${process.version}, ${RUNS} runs, medians`,
);
console.log("| measurement | ms | × reference |");
console.log("| --- | ---: | ---: |");
for (const [name, ms] of rows)
  console.log(`| ${name} | ${Math.round(ms)} | ${(ms / ref).toFixed(2)} |`);
const fullOk = median(full) < 4000;
const unchangedOk = median(unchanged) < 1500;
console.log(
  `\nfull generation under 4 s: ${fullOk ? "yes" : "NO"}; unchanged run under 1.5 s: ${unchangedOk ? "yes" : "NO"}`,
);
process.exitCode = fullOk && unchangedOk ? 0 : 1;
