/**
 * `npm run bench:huge`: one server with 5,000 tools (the many-tools fixture), generated through
 * the real CLI as a user runs it. What an agent pays to find its way (o200k tokens as a proxy;
 * Claude's tokenizer is not public): the root catalog, and the largest file it is told to read
 * (any catalog page, summary part or tool file), against the budget of about 20k tokens
 * (issue #8). Also the time a full generation and a rerun that finds nothing changed take.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { median } from "./median.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "mcp-codegen.js");
const fixture = path.join(root, "fixtures", "servers", "many-tools.mjs");
const TOOLS = Number(process.env.BENCH_TOOLS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BUDGET = 20_000;

function timeNode(args: string[], cwd: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return performance.now() - start;
}
const timeGenerate = (cwd: string) =>
  timeNode([bin, "generate", "--config", "mcp.json", "--quiet"], cwd);

/** Files the catalogs tell an agent to read: catalog pages, summary parts and tool files. */
function agentFacing(servers: string): string[] {
  return readdirSync(servers, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(md|ts)$/.test(file) && path.basename(file) !== "index.ts")
    .sort();
}

// How fast this shared machine is right now: `node -e ''` took about 90 ms when it was idle.
const nodeStart: number[] = [];
const full: number[] = [];
const unchanged: number[] = [];
let servers = "";
let dir = "";
for (let run = 0; run < RUNS; run++) {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(path.join(tmpdir(), "mcp-codegen-huge-"));
  const config = { command: process.execPath, args: [fixture, "--count", String(TOOLS)] };
  writeFileSync(path.join(dir, "mcp.json"), JSON.stringify({ mcpServers: { many: config } }));
  nodeStart.push(timeNode(["-e", ""], dir));
  full.push(timeGenerate(dir));
  unchanged.push(timeGenerate(dir));
  servers = path.join(dir, "servers");
}

const sizes = agentFacing(servers).map((file) => {
  const text = readFileSync(path.join(servers, file), "utf8");
  return { file, bytes: Buffer.byteLength(text), tokens: encode(text).length };
});
const rootCatalog = sizes.find((s) => s.file === "README.md")!;
const largest = sizes.reduce((a, b) => (b.tokens > a.tokens ? b : a));
const count = (pattern: RegExp) => sizes.filter((s) => pattern.test(s.file)).length;
rmSync(dir, { recursive: true, force: true });

console.log(`${TOOLS} tools in one server, ${RUNS} runs, medians (o200k tokens)`);
console.log("| measurement | value |");
console.log("| --- | ---: |");
console.log(`| root catalog \`servers/README.md\` | ${rootCatalog.tokens} tokens |`);
console.log(
  `| largest file an agent is told to read (\`${largest.file}\`) | ${largest.tokens} tokens |`,
);
console.log(
  `| catalog pages / summary parts | ${count(/README(-\d+)?\.md$/) - 1} / ${count(/summary(-\d+)?\.d\.ts$/)} |`,
);
console.log(`| \`node -e ''\` (calibration) | ${Math.round(median(nodeStart))} ms |`);
console.log(`| full generation | ${Math.round(median(full))} ms |`);
console.log(`| rerun, nothing changed | ${Math.round(median(unchanged))} ms |`);
const ok = largest.tokens < BUDGET;
console.log(`\nevery file an agent reads under ${BUDGET} tokens: ${ok ? "yes" : "NO"}`);
process.exitCode = ok ? 0 : 1;
