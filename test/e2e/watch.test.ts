/**
 * `generate --watch` against a real server whose tools change (the `changing` fixture sends
 * `notifications/tools/list_changed` when its tools file changes): it regenerates, once for a
 * storm of notifications, again when the config is edited, and tells a running daemon.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, ROOT, tempProject } from "./cli.js";

const BIN = path.join(ROOT, "bin/mcp-codegen.js");

/** A running `mcp-codegen …` whose stderr is collected, with a wait for a line to appear. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const waitFor = async (test: (text: string) => boolean, what: string, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!test(stderr)) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, waitFor, stderr: () => stderr };
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once("close", (code) => resolve(code));
    child.kill("SIGINT");
  });
}

const runs = (text: string) =>
  text.split("\n").filter((line) => / created, \d+ updated/.test(line));

describe("generate --watch", () => {
  let dir: string;
  let tools: string;
  let watch: ReturnType<typeof start>;
  let daemon: ReturnType<typeof start>;
  const config = (extra: string) => `import { defineConfig } from "mcp-codegen";
export default defineConfig({
  servers: { live: { ...${JSON.stringify(fixture("changing", ["--tools-file", "TOOLS"]))}${extra} } },
});
`;
  const writeConfig = (extra = "") =>
    writeFileSync(path.join(dir, "codegen.config.ts"), config(extra).replace("TOOLS", tools));

  beforeAll(async () => {
    dir = tempProject({ "tools.json": ["alpha"] }, true);
    tools = path.join(dir, "tools.json");
    writeConfig();
    daemon = start(["daemon"], dir);
    await daemon.waitFor((text) => text.includes("serving 1 server"), "daemon start");
    watch = start(["generate", "--watch"], dir);
    await watch.waitFor((text) => text.includes("watching live"), "watch start");
  }, 60_000);

  afterAll(async () => {
    await stop(watch.child);
    await stop(daemon.child);
  });

  it(
    "generates at start, and again when the server's tools change",
    { timeout: 60_000 },
    async () => {
      expect(existsSync(path.join(dir, "servers/live/alpha.ts"))).toBe(true);
      const before = runs(watch.stderr()).length;
      writeFileSync(tools, JSON.stringify(["alpha", "beta"]));
      await watch.waitFor(() => existsSync(path.join(dir, "servers/live/beta.ts")), "beta.ts");
      await watch.waitFor((text) => runs(text).length === before + 1, "one more run");
      expect(watch.stderr()).toContain("told the daemon to use the new tree");
      await daemon.waitFor(
        (text) => text.includes("the tree was regenerated: servers start again on first use"),
        "the daemon's reload",
      );
    },
  );

  it("runs once for a storm of notifications", async () => {
    const before = runs(watch.stderr()).length;
    for (let i = 0; i < 10; i++) {
      writeFileSync(tools, JSON.stringify(["alpha", "beta", `storm${i}`]));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await watch.waitFor(() => existsSync(path.join(dir, "servers/live/storm9.ts")), "storm9.ts");
    // Quiet for a while: no run is left to come.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const during = runs(watch.stderr()).length - before;
    expect(during).toBeGreaterThanOrEqual(1);
    expect(during).toBeLessThanOrEqual(3);
    expect(existsSync(path.join(dir, "servers/live/storm0.ts"))).toBe(false);
  });

  it("generates again when the config is edited, and keeps going past a broken edit", async () => {
    writeFileSync(path.join(dir, "codegen.config.ts"), "export default {");
    await watch.waitFor((text) => text.includes("the config does not load"), "the broken config");
    writeConfig(', include: ["alpha"]');
    // The manifest goes last (the write phase's commit point): the run is done once it says so.
    const liveTools = () =>
      Object.keys(
        (
          JSON.parse(readFileSync(path.join(dir, "servers/manifest.json"), "utf8")) as {
            servers: { live: { tools: Record<string, unknown> } };
          }
        ).servers.live.tools,
      );
    await watch.waitFor(() => liveTools().length === 1, "the manifest of the new run");
    expect(liveTools()).toEqual(["alpha"]);
    expect(existsSync(path.join(dir, "servers/live/beta.ts"))).toBe(false);
  });

  it("stops on SIGINT as every command does (exit 130), its servers ended", async () => {
    expect(await stop(watch.child)).toBe(130);
    expect(watch.stderr()).toContain("stopped by SIGINT; files already on disk are intact");
  });
});
