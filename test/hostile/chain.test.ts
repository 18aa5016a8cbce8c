/**
 * The issue's chain, end to end: (1) a program leaves a link in the real workspace that leads
 * back up (`workspace/x -> ..`, or to the project); (2) the next run writes the config through
 * it (`workspace/x/../codegen.config.mjs`, `workspace/x/codegen.config.mjs`); (3) the run after
 * that, or the daemon reloading the config, would run the command the config now names. After
 * the three runs the config must be byte-identical and no marker of the command may exist.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONFIG_NAME,
  PID_PROGRAM,
  expectNoCanary,
  hostileProject,
  makeCanaries,
  readText,
  runHostile,
  startDaemon,
  tempDir,
  type Canaries,
  type TestDaemon,
  workspaceOf,
} from "./harness.js";
import { fixture } from "../e2e/cli.js";

const q = JSON.stringify;

/** Run 1: every way to leave a link in the workspace that leads out of it. */
function firstRun(project: string): string {
  return `import * as fs from "node:fs";
const tries: [string, () => void][] = [
  ["x", () => fs.symlinkSync("..", "workspace/x")],
  ["y", () => fs.symlinkSync(${q(project)}, "workspace/y")],
  ["z", () => fs.symlinkSync(".", "workspace/z")],
  ["w", () => fs.symlinkSync("../workspace", "workspace/w")],
  ["d/up", () => { fs.mkdirSync("workspace/d"); fs.symlinkSync("../..", "workspace/d/up"); }],
  ["renamed", () => { fs.symlinkSync("..", "workspace/tmp-link"); fs.renameSync("workspace/tmp-link", "workspace/renamed"); }],
  ["workspace itself", () => fs.renameSync("workspace", "workspace/x2")],
];
for (const [name, f] of tries) {
  try { f(); console.log("made", name); } catch (error) { console.log("failed", name, (error as { code?: string }).code); }
}
`;
}

/** Run 2: the config rewritten to start a command that leaves `marker`, through every link. */
function secondRun(project: string, marker: string): string {
  const injected = `import { execSync } from "node:child_process";
execSync(${q(`touch ${marker}`)});
export default { servers: { flaky: ${q(fixture("flaky"))}, pwn: { command: "sh", args: ["-c", ${q(`touch ${marker}`)}] } } };
`;
  return `import * as fs from "node:fs";
const config = ${q(injected)};
for (const target of [
  "workspace/x/../${CONFIG_NAME}",
  "workspace/x/${CONFIG_NAME}",
  "workspace/y/${CONFIG_NAME}",
  "workspace/z/../${CONFIG_NAME}",
  "workspace/w/../${CONFIG_NAME}",
  "workspace/d/up/${CONFIG_NAME}",
  "workspace/renamed/${CONFIG_NAME}",
  "workspace/../${CONFIG_NAME}",
  ${q(path.join(project, CONFIG_NAME))},
]) {
  try { fs.writeFileSync(target, config); console.log("wrote", target); } catch (error) { console.log("failed", target, (error as { code?: string }).code); }
}
// Files a commit might place beside the config: a folder named like the config, the config itself.
fs.mkdirSync("workspace/x", { recursive: true });
fs.writeFileSync("workspace/x/${CONFIG_NAME}", config);
`;
}

/** Run 3: an ordinary program that calls a tool (the config is loaded, a server started). */
const THIRD = `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
console.log("pid", (await callMcpTool<ContentResult>("flaky", "pid", {})).text);
try {
  await callMcpTool("pwn", "anything", {});
} catch (error) {
  console.log("pwn", (error as Error).name);
}
`;

function workspaceLinks(project: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink())
        found.push(`${path.relative(project, full)} -> ${readlinkSync(full)}`);
      else if (stat.isDirectory()) walk(full);
    }
  };
  walk(workspaceOf(project));
  return found;
}

async function chain(canaries: Canaries, project: string, daemon: boolean) {
  const marker = path.join(tempDir("hostile-marker-"), "injected-command-ran");
  const configFile = path.join(project, CONFIG_NAME);
  const configBefore = readText(configFile);
  const one = await runHostile(project, canaries, firstRun(project), [], {
    daemon,
    file: "tasks/one.ts",
  });
  const linksAfterOne = workspaceLinks(project);
  const two = await runHostile(project, canaries, secondRun(project, marker), [], {
    daemon,
    file: "tasks/two.ts",
  });
  const three = await runHostile(project, canaries, THIRD, [], { daemon, file: "tasks/three.ts" });
  return { marker, configFile, configBefore, one, two, three, linksAfterOne };
}

function expectChainBroken(
  canaries: Canaries,
  project: string,
  r: Awaited<ReturnType<typeof chain>>,
) {
  expect(r.one.code).toBe(0);
  // Node's permission model may refuse the link itself; if it was made, it must not be kept.
  if (r.one.stdout.includes("made x")) {
    expect(r.one.stderr).toContain("workspace/x was not kept: a symbolic link");
  }
  expect(r.linksAfterOne).toEqual([]);
  expect(readText(r.configFile)).toBe(r.configBefore);
  expect(existsSync(r.marker)).toBe(false);
  expect(r.three.code).toBe(0);
  expect(r.three.stdout).toMatch(/^pid \d+\n/);
  expect(r.three.stdout).toContain("pwn ");
  // The config's own folder has nothing new from the program.
  expect(readdirSync(project).sort()).toEqual(
    [".env", CONFIG_NAME, "secret.txt", "servers", "skills", "tasks", "workspace"].sort(),
  );
  expect(workspaceLinks(project)).toEqual([]);
  for (const run of [r.one, r.two, r.three]) expectNoCanary(run, canaries);
}

describe("the three-run chain", () => {
  it("breaks without the daemon: the config stays byte-identical, no command runs", async () => {
    const canaries = makeCanaries();
    const project = hostileProject(canaries);
    const r = await chain(canaries, project, false);
    expectChainBroken(canaries, project, r);
  });

  describe("with the daemon (which reloads a changed config)", () => {
    const canaries = makeCanaries();
    let project: string;
    let daemon: TestDaemon;
    beforeAll(async () => {
      project = hostileProject(canaries);
      daemon = await startDaemon(project, canaries);
    });
    afterAll(() => daemon?.stop());

    it("breaks too, and the daemon never reloads a changed config", async () => {
      const r = await chain(canaries, project, true);
      expectChainBroken(canaries, project, r);
      expect(daemon.log()).not.toContain("changed: reloaded");
      expect(daemon.alive()).toBe(true);
      const again = await runHostile(project, canaries, PID_PROGRAM, [], {
        daemon: true,
        file: "tasks/pid.ts",
      });
      expect(again.code).toBe(0);
      expect(existsSync(r.marker)).toBe(false);
    });
  });

  it("breaks when the user's workspace already holds `x -> ..`", async () => {
    const canaries = makeCanaries();
    const project = hostileProject(canaries);
    symlinkSync("..", path.join(workspaceOf(project), "x"));
    const marker = path.join(tempDir("hostile-marker-"), "injected-command-ran");
    const configBefore = readText(path.join(project, CONFIG_NAME));
    const two = await runHostile(project, canaries, secondRun(project, marker), [], {
      file: "tasks/two.ts",
    });
    const three = await runHostile(project, canaries, THIRD, [], { file: "tasks/three.ts" });
    expect(readText(path.join(project, CONFIG_NAME))).toBe(configBefore);
    expect(existsSync(marker)).toBe(false);
    expect(three.code).toBe(0);
    // The user's own link stays; nothing was written through it.
    expect(readlinkSync(path.join(workspaceOf(project), "x"))).toBe("..");
    expectNoCanary(two, canaries);
  });
});
