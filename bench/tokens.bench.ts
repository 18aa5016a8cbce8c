/**
 * Token cost of the generated files against the tool definitions they replace (o200k encoding as
 * a proxy; Claude's tokenizer is not public). The target (issue #2): a tool file costs about as
 * many tokens as the tool's JSON definition, not more; the catalog a few tokens a tool.
 * Reference measured in the same run: each tool's definition as `tools/list` sends it.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { loadConfig } from "../src/config/index.js";
import { introspect } from "../src/introspect/introspect.js";
import type { Manifest } from "../src/emit/manifest.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SERVERS = ["everything", "filesystem", "memory", "schemas"];

const config = await loadConfig({ cwd: root, env: process.env, servers: SERVERS });
const { snapshots, failures } = await introspect(config.servers, { concurrency: 2 });
if (failures.length) throw failures[0];
const servers = path.join(config.outDir, "servers");
const manifest = JSON.parse(readFileSync(path.join(servers, "manifest.json"), "utf8")) as Manifest;
const tokens = (text: string) => encode(text).length;

console.log(
  "| server | tools | definitions (tokens) | tool files (tokens) | × definitions | catalog tokens a tool |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
let allDefs = 0;
let allFiles = 0;
const catalog = readFileSync(path.join(servers, "README.md"), "utf8");
for (const snapshot of snapshots) {
  const entry = manifest.servers[snapshot.name]!;
  let defs = 0;
  let files = 0;
  for (const tool of snapshot.tools) {
    defs += tokens(JSON.stringify(tool));
    files += tokens(readFileSync(path.join(servers, entry.tools[tool.name]!.file), "utf8"));
  }
  const section = catalog.split(/^## /m).find((s) => s.startsWith(`${snapshot.name} `)) ?? "";
  allDefs += defs;
  allFiles += files;
  const n = snapshot.tools.length;
  console.log(
    `| ${snapshot.name} | ${n} | ${defs} | ${files} | ${(files / defs).toFixed(2)} | ${(tokens(section) / n).toFixed(1)} |`,
  );
}
console.log(`| all | | ${allDefs} | ${allFiles} | ${(allFiles / allDefs).toFixed(2)} | |`);
