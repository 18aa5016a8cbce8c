/**
 * Token cost of the generated files against the tool definitions they replace (o200k encoding as
 * a proxy; Claude's tokenizer is not public). The targets (issues #2 and #8): a tool file costs
 * about as many tokens as the tool's JSON definition, not more; a summary with every function's
 * fields far less; the catalog at most 20 tokens a tool on the official servers.
 * Reference measured in the same run: each tool's definition as `tools/list` sends it.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { loadConfig } from "../src/config/index.js";
import { renderCatalog } from "../src/emit/catalog.js";
import type { Manifest } from "../src/emit/manifest.js";
import { outlineServer } from "../src/emit/outline.js";
import { introspect } from "../src/introspect/introspect.js";
import { buildModel } from "../src/model/build.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OFFICIAL = ["everything", "filesystem", "memory"];
const SERVERS = [...OFFICIAL, "schemas"];
const CATALOG_TARGET = 20;

const config = await loadConfig({ cwd: root, env: process.env, servers: SERVERS });
const { snapshots, failures } = await introspect(config.servers, { concurrency: 2 });
if (failures.length) throw failures[0];
const servers = path.join(config.outDir, "servers");
const manifest = JSON.parse(readFileSync(path.join(servers, "manifest.json"), "utf8")) as Manifest;
const tokens = (text: string) => encode(text).length;
const read = (file: string) => readFileSync(path.join(servers, file), "utf8");
const ratio = (a: number, b: number) => (a / b).toFixed(2);

console.log(
  "| server | tools | definitions | tool files | × definitions | summary | × definitions | server catalog a tool |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const all = { defs: 0, files: 0, summary: 0 };
for (const snapshot of snapshots) {
  const entry = manifest.servers[snapshot.name]!;
  let defs = 0;
  let files = 0;
  for (const tool of snapshot.tools) {
    defs += tokens(JSON.stringify(tool));
    files += tokens(read(entry.tools[tool.name]!.file));
  }
  const own = readdirSync(path.join(servers, entry.dir));
  const summary = own
    .filter((f) => /^summary(-\d+)?\.d\.ts$/.test(f))
    .reduce((n, f) => n + tokens(read(`${entry.dir}/${f}`)), 0);
  const catalog = own
    .filter((f) => /^README(-\d+)?\.md$/.test(f))
    .reduce((n, f) => n + tokens(read(`${entry.dir}/${f}`)), 0);
  all.defs += defs;
  all.files += files;
  all.summary += summary;
  const n = snapshot.tools.length;
  console.log(
    `| ${snapshot.name} | ${n} | ${defs} | ${files} | ${ratio(files, defs)} | ${summary} | ${ratio(summary, defs)} | ${(catalog / n).toFixed(1)} |`,
  );
}
console.log(
  `| all | | ${all.defs} | ${all.files} | ${ratio(all.files, all.defs)} | ${all.summary} | ${ratio(all.summary, all.defs)} | |`,
);

// What an agent pays to read the root catalog of a project with only the official servers:
// the whole file, its introduction included, rendered as the generator renders it.
const official = buildModel(snapshots.filter((s) => OFFICIAL.includes(s.name)));
const catalog = tokens(renderCatalog(official.servers.map(outlineServer)));
const count = official.servers.reduce((n, s) => n + s.tools.length, 0);
const perTool = catalog / count;
console.log(
  `\nroot catalog of the official servers (${OFFICIAL.join(", ")}): ${catalog} tokens for ${count} tools, ` +
    `${perTool.toFixed(1)} a tool (target at most ${CATALOG_TARGET}: ${perTool <= CATALOG_TARGET ? "met" : "MISSED"})`,
);
process.exitCode = perTool <= CATALOG_TARGET ? 0 : 1;
