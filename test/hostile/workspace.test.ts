/**
 * `workspace/` is the only place a program writes, and only a copy of it: links (the program's
 * own, or ones already in the real workspace), `..`, hard links and copies that follow links
 * must not let it read or write anything of the host, and only regular files and folders are
 * copied back.
 */
import { lstatSync, readlinkSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONFIG_NAME,
  expectNoCanary,
  hostileProject,
  jsonOut,
  makeCanaries,
  readText,
  readTree,
  runHostile,
  type RunResult,
  workspaceOf,
} from "./harness.js";

const canaries = makeCanaries();
const { home } = canaries;

/** Every regular file's text under `dir` (links not followed), to look for canaries a run planted. */
function allText(dir: string): string {
  const texts: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    if (stat.isDirectory()) texts.push(allText(full));
    else if (stat.isFile()) texts.push(readText(full));
  }
  return texts.join("\n");
}

/** The real workspace's links, as `name -> target`. */
function links(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => lstatSync(path.join(dir, name)).isSymbolicLink())
    .map((name) => `${name} -> ${readlinkSync(path.join(dir, name))}`)
    .sort();
}

describe("links already in the real workspace", () => {
  let project: string;
  let workspace: string;
  let configBefore: string;
  let run: RunResult;
  let seen: Record<string, string>;

  beforeAll(async () => {
    project = hostileProject(canaries);
    workspace = workspaceOf(project);
    configBefore = readText(path.join(project, CONFIG_NAME));
    symlinkSync(home, path.join(workspace, "home"));
    symlinkSync(canaries.sshKeyFile, path.join(workspace, "key"));
    symlinkSync("..", path.join(workspace, "up"));
    symlinkSync(`../${CONFIG_NAME}`, path.join(workspace, "config"));
    symlinkSync("../secret.txt", path.join(workspace, "beside"));
    symlinkSync("/proc/self/environ", path.join(workspace, "environ"));
    run = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
const seen: Record<string, string> = {};
const attempt = (what: string, f: () => unknown) => {
  try {
    const value = f();
    seen[what] = "ok " + (typeof value === "string" ? value : JSON.stringify(value ?? null));
  } catch (error) {
    seen[what] = "failed " + String((error as { code?: string }).code);
  }
};
attempt("read key", () => fs.readFileSync("workspace/key", "utf8"));
attempt("read home/.ssh/id_rsa", () => fs.readFileSync("workspace/home/.ssh/id_rsa", "utf8"));
attempt("list home", () => fs.readdirSync("workspace/home"));
attempt("read config", () => fs.readFileSync("workspace/config", "utf8"));
attempt("read up/config", () => fs.readFileSync("workspace/up/${CONFIG_NAME}", "utf8"));
attempt("read beside", () => fs.readFileSync("workspace/beside", "utf8"));
attempt("read environ", () => fs.readFileSync("workspace/environ", "utf8"));
attempt("realpath home", () => fs.realpathSync("workspace/home"));
attempt("copy home dereferenced", () => fs.cpSync("workspace/home", "workspace/home-copy", { recursive: true, dereference: true }));
attempt("copy key dereferenced", () => fs.cpSync("workspace/key", "workspace/key-copy", { dereference: true }));
attempt("copyFile key", () => fs.copyFileSync("workspace/key", "workspace/key-copy2"));
attempt("write key", () => fs.writeFileSync("workspace/key", "pwned"));
attempt("append key", () => fs.appendFileSync("workspace/key", "pwned"));
attempt("write home/pwned", () => fs.writeFileSync("workspace/home/pwned", "pwned"));
attempt("write config", () => fs.writeFileSync("workspace/config", "pwned"));
attempt("write up/config", () => fs.writeFileSync("workspace/up/${CONFIG_NAME}", "pwned"));
attempt("write up/pwned", () => fs.writeFileSync("workspace/up/pwned", "pwned"));
attempt("write beside", () => fs.writeFileSync("workspace/beside", "pwned"));
attempt("truncate key", () => fs.truncateSync("workspace/key", 0));
attempt("chmod key", () => fs.chmodSync("workspace/key", 0o777));
attempt("hard link of key", () => fs.linkSync("workspace/key", "workspace/key-hard"));
attempt("mkdir in home", () => fs.mkdirSync("workspace/home/newdir"));
console.log(JSON.stringify(seen));
`,
    );
    seen = jsonOut<Record<string, string>>(run);
  });

  it("reads nothing of the host through them", () => {
    expectNoCanary(run, canaries);
    for (const what of [
      "read key",
      "read home/.ssh/id_rsa",
      "list home",
      "read config",
      "read up/config",
      "read beside",
    ]) {
      expect(seen[what], what).toMatch(/^failed /);
    }
    // A link to /proc/self/environ, if Node follows it, reads the sandbox's own (empty) one.
    if (seen["read environ"]?.startsWith("ok ")) {
      expect(seen["read environ"]).not.toContain("HOSTILE_ENV_SECRET");
      expect(seen["read environ"]).not.toContain("HOME=");
    }
    // The only answer a realpath may give is the dangling target, which is no secret.
    if (seen["realpath home"]?.startsWith("ok "))
      expect(seen["realpath home"]).not.toContain(".ssh");
  });

  it("writes nothing of the host through them", () => {
    for (const what of [
      "write key",
      "append key",
      "write home/pwned",
      "write config",
      "write up/config",
      "write up/pwned",
      "write beside",
      "truncate key",
      "chmod key",
      "mkdir in home",
    ]) {
      expect(seen[what], what).toMatch(/^failed /);
    }
    expect(readText(canaries.sshKeyFile)).toContain(canaries.sshKey);
    expect(lstatSync(canaries.sshKeyFile).mode & 0o777).toBe(0o600);
    expect(readText(path.join(project, CONFIG_NAME))).toBe(configBefore);
    expect(readText(path.join(project, "secret.txt"))).toBe(`${canaries.besideConfig}\n`);
    expect(readdirSync(home).sort()).toEqual([".ssh"]);
    expect(readdirSync(path.join(home, ".ssh"))).toEqual(["id_rsa"]);
    expect(readdirSync(project)).not.toContain("pwned");
  });

  it("leaves the links as they were and copies no canary into the workspace", () => {
    expect(links(workspace)).toEqual([
      `beside -> ../secret.txt`,
      `config -> ../${CONFIG_NAME}`,
      `environ -> /proc/self/environ`,
      `home -> ${home}`,
      `key -> ${canaries.sshKeyFile}`,
      "up -> ..",
    ]);
    const text = allText(workspace);
    for (const canary of canaries.all) expect(text).not.toContain(canary);
    expect(readText(path.join(workspace, "notes.md"))).toBe("the user's notes\n");
  });
});

describe("links, `..` and hard links a program makes", () => {
  let project: string;
  let workspace: string;
  let run: RunResult;
  let seen: Record<string, string>;

  beforeAll(async () => {
    project = hostileProject(canaries);
    workspace = workspaceOf(project);
    run = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
const seen: Record<string, string> = {};
const attempt = (what: string, f: () => unknown) => {
  try {
    const value = f();
    seen[what] = "ok " + (typeof value === "string" ? value.slice(0, 200) : JSON.stringify(value ?? null));
  } catch (error) {
    seen[what] = "failed " + String((error as { code?: string }).code);
  }
};
attempt("write workspace/../x", () => fs.writeFileSync("workspace/../x", "pwned"));
attempt("write workspace/../../x", () => fs.writeFileSync("workspace/../../x", "pwned"));
attempt("write workspace/a/../../x", () => { fs.mkdirSync("workspace/a"); fs.writeFileSync("workspace/a/../../x", "pwned"); });
attempt("read workspace/../bootstrap.cjs", () => fs.readFileSync("workspace/../bootstrap.cjs", "utf8").length);
attempt("link up", () => fs.symlinkSync("..", "workspace/up"));
attempt("write through up", () => fs.writeFileSync("workspace/up/x", "pwned"));
attempt("link self", () => fs.symlinkSync(".", "workspace/self"));
attempt("link root", () => fs.symlinkSync("/", "workspace/root"));
attempt("list through root", () => fs.readdirSync("workspace/root"));
attempt("link project", () => fs.symlinkSync(${JSON.stringify(project)}, "workspace/project"));
attempt("link key", () => fs.symlinkSync(${JSON.stringify(canaries.sshKeyFile)}, "workspace/key"));
attempt("link ../workspace", () => fs.symlinkSync("../workspace", "workspace/ws"));
attempt("hard link bootstrap", () => fs.linkSync("bootstrap.cjs", "workspace/bootstrap-hard"));
attempt("hard link notes", () => fs.linkSync("workspace/notes.md", "workspace/notes-hard.md"));
attempt("rename the workspace", () => fs.renameSync("workspace", "workspace2"));
attempt("rename into the workspace", () => fs.renameSync("workspace", "workspace/inner"));
attempt("rmdir the workspace", () => fs.rmSync("workspace", { recursive: true }));
fs.writeFileSync("workspace/kept.txt", "a regular file");
console.log(JSON.stringify(seen));
`,
    );
    seen = jsonOut<Record<string, string>>(run);
  });

  it("cannot write or read outside through `..`", () => {
    expectNoCanary(run, canaries);
    for (const what of [
      "write workspace/../x",
      "write workspace/../../x",
      "write workspace/a/../../x",
      "write through up",
    ]) {
      expect(seen[what], what).toMatch(/^failed /);
    }
    expect(readdirSync(project)).not.toContain("x");
    expect(seen["rename the workspace"]).toMatch(/^failed /);
    expect(seen["rename into the workspace"]).toMatch(/^failed /);
  });

  it("keeps only regular files and folders: no link it made reaches the real workspace", () => {
    expect(run.code).toBe(0);
    for (const name of ["up", "self", "root", "project", "key", "ws"]) {
      if (seen[`link ${name === "ws" ? "../workspace" : name}`]?.startsWith("ok")) {
        expect(run.stderr).toMatch(
          new RegExp(`workspace/${name} was not kept: a symbolic link|and \\d+ more were not kept`),
        );
      }
    }
    expect(links(workspace)).toEqual([]);
    expect(readText(path.join(workspace, "kept.txt"))).toBe("a regular file");
    expect(readText(path.join(workspace, "notes.md"))).toBe("the user's notes\n");
    for (const entry of readdirSync(workspace)) {
      const stat = lstatSync(path.join(workspace, entry));
      expect(stat.isFile() || stat.isDirectory(), entry).toBe(true);
    }
    expect(allText(workspace)).not.toContain(canaries.sshKey);
  });
});

describe("a program's workspace is a copy", () => {
  it("a Unix socket a program listens on in workspace/ is not kept", async () => {
    const project = hostileProject(canaries);
    const run = await runHostile(
      project,
      canaries,
      `import * as net from "node:net";
const server = net.createServer();
await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen("workspace/app.sock", () => resolve()); });
process.exit(0);
`,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "mcp-codegen run: workspace/app.sock was not kept: not a file or folder.\n",
    );
    expect(readdirSync(workspaceOf(project))).toEqual(["notes.md"]);
  });

  it("a failed run leaves the real workspace as it was and says what was lost", async () => {
    const project = hostileProject(canaries);
    const workspace = workspaceOf(project);
    writeFileSync(path.join(workspace, "data.txt"), "original");
    const before = readTree(workspace);
    const run = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
fs.writeFileSync("workspace/data.txt", "overwritten");
fs.writeFileSync("workspace/new.txt", "new");
fs.rmSync("workspace/notes.md");
throw new Error("failing on purpose");
`,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "the run did not succeed, so workspace/ was left as it was; the program's changes were not kept (created new.txt; changed data.txt; deleted notes.md)",
    );
    expect(readTree(workspace)).toEqual(before);
  });
});
