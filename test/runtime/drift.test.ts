/**
 * The drift guard, against real servers and manifests the real generator made: the repo's own
 * `out/` tree matches its servers (a secret-echoing one included); a server whose tools changed
 * is warned about once, or refused with `onDrift: "error"`; filtered-out tools are not drift;
 * no manifest or an unknown server means no check; a corrupt manifest is warned about once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import type { ResolvedConfig, UserConfig } from "../../src/config/types.js";
import type { Manifest, ManifestServer } from "../../src/emit/manifest.js";
import { generate } from "../../src/generate.js";
import {
  callMcpTool,
  closeConnections,
  DriftError,
  setRuntimeConfig,
  setRuntimeWarningHandler,
} from "../../src/runtime/index.js";
import { FIXTURES, rejection, ROOT } from "../connect/servers.js";

const node = process.execPath;
const flaky = (...args: string[]) => ({
  command: node,
  args: [join(FIXTURES, "flaky.mjs"), ...args],
});
const temp = mkdtempSync(join(tmpdir(), "mcp-codegen-drift-"));
const warnings: string[] = [];
let manifestFile: string;

const configFor = (outDir: string, user: Omit<UserConfig, "outDir">): ResolvedConfig =>
  resolveConfig({ outDir, ...user }, { root: ROOT, cwd: ROOT, env: {} });

/** Writes `servers/manifest.json` under a new folder of `temp`; returns the folder. */
function outDirWith(name: string, contents: string): string {
  const outDir = join(temp, name);
  mkdirSync(join(outDir, "servers"), { recursive: true });
  writeFileSync(join(outDir, "servers", "manifest.json"), contents);
  return outDir;
}

beforeAll(async () => {
  // What `generate` records for the flaky fixture, under several config names.
  const generated = await generate({
    config: configFor(join(temp, "unused"), { servers: { flaky: flaky() } }),
    dryRun: true,
  });
  const entry = generated.manifest.servers["flaky"]!;
  const { big: _big, ...withoutBig } = entry.tools;
  const edited: ManifestServer = {
    ...entry,
    tools: {
      ...withoutBig,
      gone: entry.tools["echo"]!,
      fail: {
        ...entry.tools["fail"]!,
        hashes: { ...entry.tools["fail"]!.hashes, definition: "0" },
      },
    },
  };
  const manifest: Manifest = {
    ...generated.manifest,
    servers: {
      same: entry,
      drifted: entry,
      strict: entry,
      edited,
      filtered: { ...entry, tools: withoutBig },
    },
  };
  const outDir = outDirWith("generated", JSON.stringify(manifest));
  manifestFile = join(outDir, "servers", "manifest.json");
  setRuntimeWarningHandler((message) => warnings.push(message));
});

beforeEach(() => {
  warnings.length = 0;
});

afterAll(async () => {
  setRuntimeWarningHandler(undefined);
  await closeConnections();
  rmSync(temp, { recursive: true, force: true });
});

describe("no drift", () => {
  it("the repo's out/ tree matches its servers, the one echoing a config secret included", async () => {
    setRuntimeConfig(
      configFor(join(ROOT, "out"), {
        servers: {
          schemas: { command: node, args: ["fixtures/servers/schemas.mjs"] },
          hostile: {
            command: node,
            args: ["fixtures/servers/hostile.mjs"],
            env: { FIXTURE_SECRET: "fixture-secret-value-1234" },
          },
        },
        onDrift: "error",
      }),
    );
    await expect(callMcpTool("schemas", "get_weather", { city: "Oslo" })).resolves.toMatchObject({
      conditions: "partly cloudy",
    });
    await expect(callMcpTool("hostile", "ping", {})).resolves.toBeDefined();
    expect(warnings).toEqual([]);
  });
});

describe("a server whose tools changed", () => {
  it("is warned about once per process with onDrift: warn, and its calls go on", async () => {
    setRuntimeConfig(withDrift("warn"));
    expect((await callMcpTool("drifted", "echo", { n: 1 })).json()).toEqual({ n: 1 });
    await callMcpTool("drifted", "echo", { n: 2 });
    await closeConnections(); // a new connection is checked again, but not warned about again
    await callMcpTool("drifted", "echo", { n: 3 });
    expect(warnings).toEqual([
      `server "drifted" no longer matches the stubs generated from it (changed: echo; compared ` +
        `with ${manifestFile}). Run \`npx mcp-codegen generate\` to update the stubs, and read ` +
        "what changed before relying on them.",
    ]);
  });

  it("has every tool call refused with DriftError with onDrift: error", async () => {
    setRuntimeConfig(withDrift("error"));
    for (const tool of ["echo", "big"]) {
      const error = await rejection(callMcpTool("strict", tool, { bytes: 1 }));
      expect(error).toBeInstanceOf(DriftError);
      expect(error).toMatchObject({
        code: "DRIFT",
        server: "strict",
        changed: ["echo"],
        added: [],
        removed: [],
        manifest: manifestFile,
      });
      expect(error.message).toBe(
        `server "strict" no longer matches the stubs generated from it (changed: echo; compared ` +
          `with ${manifestFile}). Its tool calls are refused because onDrift is "error" in the ` +
          "config: run `npx mcp-codegen generate` to update the stubs, and read what changed.",
      );
    }
    expect(warnings).toEqual([]);
  });

  it("names tools added, removed and changed", async () => {
    setRuntimeConfig(withDrift("error"));
    const error = await rejection(callMcpTool("edited", "echo"));
    expect(error).toMatchObject({ added: ["big"], removed: ["gone"], changed: ["fail"] });
    expect(error.message).toContain("(changed: fail; added: big; removed: gone; compared with");
  });
});

describe("what is not drift", () => {
  it("tools the config's filter leaves out, a server the manifest does not know", async () => {
    setRuntimeConfig(withDrift("error"));
    expect((await callMcpTool("filtered", "echo", { a: 1 })).json()).toEqual({ a: 1 });
    expect((await callMcpTool("same", "echo", { b: 2 })).json()).toEqual({ b: 2 });
    expect((await callMcpTool("unknown", "echo", { c: 3 })).json()).toEqual({ c: 3 });
    expect(warnings).toEqual([]);
  });

  it("no manifest at all", async () => {
    setRuntimeConfig(
      configFor(join(temp, "empty"), {
        servers: { bare: flaky("--variant", "3") },
        onDrift: "error",
      }),
    );
    expect((await callMcpTool("bare", "echo", { d: 4 })).json()).toEqual({ d: 4 });
    expect(warnings).toEqual([]);
  });

  it("a corrupt manifest: one warning, no check", async () => {
    const outDir = outDirWith("corrupt", '{"generator": ');
    setRuntimeConfig(
      configFor(outDir, { servers: { corrupt: flaky("--variant", "4") }, onDrift: "error" }),
    );
    await callMcpTool("corrupt", "echo");
    await closeConnections();
    await callMcpTool("corrupt", "echo");
    expect(warnings).toEqual([
      `${join(outDir, "servers", "manifest.json")} could not be read (it is not valid JSON in the ` +
        "shape mcp-codegen writes), so tool calls are not checked for drift. Run `npx mcp-codegen " +
        "generate` to rewrite it.",
    ]);
  });
});

/** Servers compared with the manifest written in beforeAll, with `onDrift` set. */
function withDrift(onDrift: "warn" | "error"): ResolvedConfig {
  return configFor(join(temp, "generated"), {
    servers: {
      same: flaky(),
      drifted: flaky("--variant", "1"),
      strict: flaky("--variant", "1"),
      edited: flaky(),
      filtered: { ...flaky(), exclude: ["big"] },
      unknown: flaky("--variant", "2"),
    },
    onDrift,
  });
}
