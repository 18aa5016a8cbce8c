/**
 * `npm run bench:mcporter`: generating stubs for server-everything (13 tools), side by side with
 * mcporter's `emit-ts` (a devDependency) on the same server from the same kind of config, runs
 * interleaved so that both see the same machine. Both are dominated by the server's own start
 * and exit; what this measures is what each adds around them.
 *
 * Target (issue 8): at most 0.6× mcporter's time.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./median.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "mcp-codegen.js");
// Both packages' exports hide these files from `require.resolve`; node_modules holds them.
const modules = path.join(root, "node_modules");
const mcporter = path.join(modules, "mcporter", "dist", "cli.js");
const everything = path.join(modules, "@modelcontextprotocol/server-everything/dist/index.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TARGET = 0.6;

const servers = { everything: { command: process.execPath, args: [everything, "stdio"] } };
const dir = mkdtempSync(path.join(tmpdir(), "mcp-codegen-bench-mcporter-"));
mkdirSync(path.join(dir, "config"));
writeFileSync(path.join(dir, "config", "mcporter.json"), JSON.stringify({ mcpServers: servers }));
writeFileSync(path.join(dir, ".mcp.json"), JSON.stringify({ mcpServers: servers }));
writeFileSync(
  path.join(dir, "codegen.config.ts"),
  `export default ${JSON.stringify({ servers }, null, 2)};\n`,
);

function timed(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return ms;
}

const commands: Record<string, () => string[]> = {
  "mcporter emit-ts (reference)": () => {
    rmSync(path.join(dir, "gen"), { recursive: true, force: true });
    return [mcporter, "emit-ts", "everything", "--mode", "client", "--out", "gen/everything.ts"];
  },
  "mcp-codegen generate, .mcp.json": () => {
    rmSync(path.join(dir, "servers"), { recursive: true, force: true });
    return [bin, "generate", "--config", ".mcp.json", "--quiet"];
  },
  "mcp-codegen generate, codegen.config.ts": () => {
    rmSync(path.join(dir, "servers"), { recursive: true, force: true });
    return [bin, "generate", "--config", "codegen.config.ts", "--quiet"];
  },
  "mcp-codegen generate, nothing changed": () => [
    bin,
    "generate",
    "--config",
    ".mcp.json",
    "--quiet",
  ],
};

const times = new Map(Object.keys(commands).map((name) => [name, [] as number[]]));
timed(["-e", ""]); // warm the file cache
for (const name of Object.keys(commands)) timed(commands[name]!()); // and every command's
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(commands)) times.get(name)!.push(timed(args()));
}
rmSync(dir, { recursive: true, force: true });

const reference = median(times.get("mcporter emit-ts (reference)")!);
console.log(`server-everything, medians of ${RUNS} interleaved runs:`);
console.log("| measurement | ms | × mcporter |");
console.log("| --- | ---: | ---: |");
let missed = false;
for (const [name, values] of times) {
  const ms = median(values);
  const ratio = ms / reference;
  if (name.includes(", .mcp.json") && ratio > TARGET) missed = true;
  console.log(`| ${name} | ${Math.round(ms)} | ${ratio.toFixed(2)} |`);
}
console.log(`target: a full generation at most ${TARGET}× mcporter: ${missed ? "MISSED" : "met"}`);
process.exitCode = missed ? 1 : 0;
