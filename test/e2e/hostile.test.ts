import { existsSync } from "node:fs";
import * as path from "node:path";
import { transformSync } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, listTree, readTree, runCli, tempProject, type CliResult } from "./cli.js";

const SECRET = "s3cr3t-value-XYZ";
const config = {
  mcpServers: { hostile: { ...fixture("hostile"), env: { FIXTURE_SECRET: SECRET } } },
};
// The wire names of the 23 valid tools, path-like names included. Their identifiers are the
// naming rules' business (test/model); here they must be plain identifiers, one file each.
const WIRE_NAMES = [
  "..",
  "../../../tmp/escape",
  "..\\..\\escape",
  "/etc/absolute",
  "comment_breakout",
  "dangling_ref",
  "deep_nesting",
  "dup_tool",
  "enum_quotes",
  "env_secret",
  "evil_defs_key",
  "evil_titles",
  "file_ref",
  "huge_enum",
  "invisible_characters",
  "long_description",
  "many_properties",
  "markdown_injection",
  "nul\u0000byte",
  "ping",
  "remote_ref",
  "ts_keywords",
  "weird_property_names",
];

/** What a TS file is once its types and comments are gone. */
const erase = (code: string) => transformSync(code, { loader: "ts" }).code;

describe("generate from the hostile fixture", () => {
  let dir: string;
  let run: CliResult;
  let files: Record<string, string>;
  let identifiers: string[];
  let manifest: {
    servers: { hostile: { tools: Record<string, { identifier: string; file: string }> } };
  };

  beforeAll(async () => {
    dir = tempProject({ ".mcp.json": config });
    run = await runCli(["--config", ".mcp.json"], { cwd: dir });
    files = readTree(path.join(dir, "servers"));
    manifest = JSON.parse(files["manifest.json"] ?? "null") as typeof manifest;
    identifiers = Object.values(manifest.servers.hostile.tools)
      .map((t) => t.identifier)
      .sort();
  });

  it("succeeds and summarises the warnings in a few lines", () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("hostile: listed 23 tools, skipped 5 invalid");
    expect(run.stderr).toMatch(/^\d+ warnings \(hostile \d+\):$/m);
    expect(run.stderr).toMatch(/^ {2}… and \d+ more; run with --verbose to see them all\.$/m);
    expect(run.stderr).toContain("servers: 23 tools from 1 server; 29 created");
    const lines = run.stderr.trimEnd().split("\n");
    // connecting, listed, written, the summary, and a warnings block capped at 7 lines.
    expect(lines.length).toBeLessThanOrEqual(11);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(420);
  });

  it("writes only inside servers/, skills/ and workspace/, whatever the tools are called", () => {
    expect(listTree(dir)).toEqual([
      ".mcp.json",
      "servers/",
      "servers/README.md",
      "servers/hostile/",
      ...[...identifiers.map((t) => `${t}.ts`), "README.md", "index.ts", "summary.d.ts"]
        .sort()
        .map((f) => `servers/hostile/${f}`),
      "servers/index.ts",
      "servers/manifest.json",
      "skills/",
      "workspace/",
    ]);
    for (const escaped of [
      "/tmp/pwned",
      "/tmp/escape.ts",
      "/tmp/tmp/escape.ts",
      "/etc/absolute.ts",
    ])
      expect(existsSync(escaped), escaped).toBe(false);
    expect(existsSync(path.join(dir, "../escape.ts"))).toBe(false);
  });

  it("redacts the config's secret from every file and from the output", () => {
    expect(run.stderr).toContain("they were replaced with [REDACTED]");
    expect(files["hostile/envSecret.ts"]).toContain(
      "/** Connects with token [REDACTED] to the backend. */",
    );
    const { ".mcp.json": configText, ...generated } = readTree(dir);
    expect(configText).toContain(SECRET);
    expect(Object.keys(generated)).toHaveLength(29);
    for (const [name, text] of Object.entries(generated)) {
      expect(text.includes(SECRET), name).toBe(false);
    }
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it("turns nothing the server sent into code: each tool file is one import and one call", () => {
    const tools = Object.entries(manifest.servers.hostile.tools);
    expect(tools.map(([wireName]) => wireName).sort()).toEqual(WIRE_NAMES);
    expect(new Set(identifiers).size).toBe(23);
    for (const [wireName, { identifier, file }] of tools) {
      expect(identifier).toMatch(/^[A-Za-z_$][\w$]*$/);
      expect(file).toBe(`hostile/${identifier}.ts`);
      // esbuild prints the wire name's string literal the way it prints it in the file.
      const literal = erase(`f(${JSON.stringify(wireName)})`).slice(2, -3);
      const code = erase(files[file]!).replace(
        `${identifier}(input = {}, options)`,
        `${identifier}(input, options)`,
      );
      expect(code, file).toBe(
        'import { callMcpTool } from "mcp-codegen/runtime";\n' +
          `export async function ${identifier}(input, options) {\n` +
          `  return callMcpTool("hostile", ${literal}, input, options);\n` +
          "}\n",
      );
    }
  });

  it("leaves only re-exports in the barrels and nothing in the declarations", () => {
    expect(erase(files["index.ts"]!)).toBe('export * as hostile from "./hostile/index.js";\n');
    expect(erase(files["hostile/index.ts"]!)).toBe(
      identifiers.map((t) => `export { ${t} } from "./${t}.js";\n`).join(""),
    );
    expect(erase(files["hostile/summary.d.ts"]!)).toBe("");
  });
});
