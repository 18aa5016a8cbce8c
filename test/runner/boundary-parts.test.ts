/**
 * The boundary's pure parts, table by table: the channel's framing, the workspace transaction,
 * errors as the program sees them, and the run's clock.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  readdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/types.js";
import { ServerCrashedError } from "../../src/errors.js";
import { RunClock } from "../../src/runner/clock.js";
import { overLimit } from "../../src/runner/disk-watch.js";
import { RunLimitError } from "../../src/runner/errors.js";
import { encodeFrame, frameDecoder } from "../../src/runner/frames.js";
import { errorForProgram } from "../../src/runner/program-errors.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import {
  commitWorkspace,
  describeChanges,
  stageWorkspace,
  workspaceChanges,
} from "../../src/runner/workspace.js";

function decodeAll(chunks: readonly Buffer[], max = 1024) {
  const messages: unknown[] = [];
  const problems: string[] = [];
  const push = frameDecoder(
    max,
    (m) => messages.push(m),
    (p) => problems.push(p),
  );
  for (const chunk of chunks) push(chunk);
  return { messages, problems };
}

describe("frames", () => {
  it("round-trips messages split at every byte", () => {
    const frames = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame(["é", null])]);
    const bytes = [...frames].map((b) => Buffer.from([b]));
    expect(decodeAll(bytes)).toEqual({ messages: [{ a: 1 }, ["é", null]], problems: [] });
  });

  it.each([
    [
      "a length over the limit",
      Buffer.from([0, 0, 4, 1]),
      "a message of 1025 bytes, over the limit of 1024",
    ],
    [
      "a 4 GB length",
      Buffer.from([255, 255, 255, 255]),
      "a message of 4294967295 bytes, over the limit of 1024",
    ],
    [
      "bytes that are not JSON",
      Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from("{x}")]),
      "a message that is not JSON",
    ],
  ])("reports %s once and ignores the rest", (_title, bad, problem) => {
    const result = decodeAll([encodeFrame("ok"), bad, encodeFrame("after")]);
    expect(result).toEqual({ messages: ["ok"], problems: [problem] });
  });

  it("never holds more than one message of at most the limit", () => {
    const { problems } = decodeAll([Buffer.alloc(10_000_000, 0x41)]);
    expect(problems).toEqual(["a message of 1094795585 bytes, over the limit of 1024"]);
  });
});

function workspacePair() {
  const root = mkdtempSync(path.join(tmpdir(), "mcp-codegen-ws-test-"));
  const real = path.join(root, "real");
  const staging = path.join(root, "staging");
  mkdirSync(real);
  mkdirSync(staging);
  return { root, real, staging };
}

describe("the workspace transaction", () => {
  it("stages a copy, and commits created, changed and deleted files", async () => {
    const { real, staging } = workspacePair();
    writeFileSync(path.join(real, "keep.txt"), "same");
    writeFileSync(path.join(real, "change.txt"), "old");
    writeFileSync(path.join(real, "gone.txt"), "bye");
    mkdirSync(path.join(real, "dir"));
    writeFileSync(path.join(real, "dir", "inner.txt"), "in");
    const staged = await stageWorkspace(real, staging);
    expect(readFileSync(path.join(staging, "dir", "inner.txt"), "utf8")).toBe("in");
    writeFileSync(path.join(staging, "change.txt"), "new!");
    writeFileSync(path.join(staging, "new.txt"), "fresh");
    mkdirSync(path.join(staging, "made"));
    writeFileSync(path.join(staging, "made", "deep.txt"), "deep");
    await import("node:fs").then((fs) => fs.unlinkSync(path.join(staging, "gone.txt")));
    // Untouched until the commit.
    expect(readFileSync(path.join(real, "change.txt"), "utf8")).toBe("old");
    const changes = await commitWorkspace(staged);
    expect(describeChanges(changes)).toBe(
      "created made, made/deep.txt, new.txt; changed change.txt; deleted gone.txt",
    );
    expect(readFileSync(path.join(real, "change.txt"), "utf8")).toBe("new!");
    expect(readFileSync(path.join(real, "made", "deep.txt"), "utf8")).toBe("deep");
    expect(existsSync(path.join(real, "gone.txt"))).toBe(false);
    expect(readFileSync(path.join(real, "keep.txt"), "utf8")).toBe("same");
    expect(readdirSync(real).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("never copies a link back, nor writes through a link of the real workspace", async () => {
    const { root, real, staging } = workspacePair();
    const outside = path.join(root, "outside");
    mkdirSync(outside);
    symlinkSync(outside, path.join(real, "linked"));
    const staged = await stageWorkspace(real, staging);
    // The program replaces the link with a folder and writes into it, and makes a link.
    await import("node:fs").then((fs) => fs.unlinkSync(path.join(staging, "linked")));
    mkdirSync(path.join(staging, "linked"));
    writeFileSync(path.join(staging, "linked", "planted.txt"), "x");
    symlinkSync("/etc/passwd", path.join(staging, "passwd"));
    const changes = await commitWorkspace(staged);
    expect(changes.refused).toEqual([{ path: "passwd", why: "a symbolic link" }]);
    // The link the program removed is removed, not written through.
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(path.join(real, "linked", "planted.txt"), "utf8")).toBe("x");
    expect(existsSync(path.join(real, "passwd"))).toBe(false);
  });

  it("copies back no set-uid, set-gid or sticky bit, and nothing others may write", async () => {
    const { real, staging } = workspacePair();
    const staged = await stageWorkspace(real, staging);
    const fs = await import("node:fs");
    writeFileSync(path.join(staging, "tool"), "#!/bin/sh\n");
    fs.chmodSync(path.join(staging, "tool"), 0o7777);
    writeFileSync(path.join(staging, "notes.md"), "x");
    fs.chmodSync(path.join(staging, "notes.md"), 0o666);
    await commitWorkspace(staged);
    expect(fs.statSync(path.join(real, "tool")).mode & 0o7777).toBe(0o755);
    expect(fs.statSync(path.join(real, "notes.md")).mode & 0o7777).toBe(0o644);
  });

  it("does not overwrite what another run committed meanwhile, and says so", async () => {
    const { real, staging } = workspacePair();
    writeFileSync(path.join(real, "shared.txt"), "v1");
    const staged = await stageWorkspace(real, staging);
    writeFileSync(path.join(real, "shared.txt"), "the other run's v2");
    writeFileSync(path.join(real, "theirs.txt"), "theirs");
    writeFileSync(path.join(staging, "shared.txt"), "this run's v2");
    writeFileSync(path.join(staging, "theirs.txt"), "mine");
    writeFileSync(path.join(staging, "mine.txt"), "mine");
    const { refused } = await commitWorkspace(staged);
    const why = "it changed in workspace/ since the run began (another run?)";
    expect(refused).toEqual([
      { path: "shared.txt", why },
      { path: "theirs.txt", why },
    ]);
    expect(readFileSync(path.join(real, "shared.txt"), "utf8")).toBe("the other run's v2");
    expect(readFileSync(path.join(real, "theirs.txt"), "utf8")).toBe("theirs");
    expect(readFileSync(path.join(real, "mine.txt"), "utf8")).toBe("mine");
  });

  it("turns a folder into a file only when it holds nothing the run did not see", async () => {
    const { real, staging } = workspacePair();
    mkdirSync(path.join(real, "emptied"));
    writeFileSync(path.join(real, "emptied", "seen.txt"), "seen");
    mkdirSync(path.join(real, "shared"));
    writeFileSync(path.join(real, "shared", "seen.txt"), "seen");
    const staged = await stageWorkspace(real, staging);
    // Meanwhile another run commits a file into shared/.
    writeFileSync(path.join(real, "shared", "theirs.txt"), "theirs");
    for (const name of ["emptied", "shared"]) {
      rmSync(path.join(staging, name), { recursive: true });
      writeFileSync(path.join(staging, name), "now a file");
    }
    const { refused } = await commitWorkspace(staged);
    expect(refused).toEqual([
      {
        path: "shared",
        why: "it is a folder in workspace/ holding what the run did not see (another run's files, or ones closed to you)",
      },
    ]);
    expect(readFileSync(path.join(real, "emptied"), "utf8")).toBe("now a file");
    expect(readFileSync(path.join(real, "shared", "theirs.txt"), "utf8")).toBe("theirs");
    expect(readdirSync(real).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("stages all of another run's commit or none of it, never a part", async () => {
    const { root, real, staging } = workspacePair();
    mkdirSync(path.join(real, "many"));
    for (let i = 0; i < 1500; i++) writeFileSync(path.join(real, "many", `f${i}`), "x");
    const first = await stageWorkspace(real, staging);
    rmSync(path.join(staging, "many"), { recursive: true });
    for (let i = 0; i < 1500; i++) writeFileSync(path.join(staging, `g${i}`), "y");
    const committing = commitWorkspace(first);
    const next = path.join(root, "next");
    mkdirSync(next);
    // Started while the first commit is on its way: before it, or after it, whole.
    const second = await stageWorkspace(real, next);
    await committing;
    const seen = readdirSync(next);
    const staged = existsSync(path.join(next, "many"))
      ? { many: readdirSync(path.join(next, "many")).length, g: seen.length - 1 }
      : { many: 0, g: seen.length };
    expect([
      { many: 1500, g: 0 },
      { many: 0, g: 1500 },
    ]).toContainEqual(staged);
    expect(second.source.size).toBe(staged.many > 0 ? 1501 : 1500);
  });

  it("says what a failed run changed without touching the real workspace", async () => {
    const { real, staging } = workspacePair();
    writeFileSync(path.join(real, "a.txt"), "a");
    const staged = await stageWorkspace(real, staging);
    writeFileSync(path.join(staging, "a.txt"), "changed");
    writeFileSync(path.join(staging, "b.txt"), "b");
    expect(describeChanges(await workspaceChanges(staged))).toBe("created b.txt; changed a.txt");
    expect(readFileSync(path.join(real, "a.txt"), "utf8")).toBe("a");
  });

  it("counts what a program added against its disk limit, sparse files at full size", async () => {
    const { real, staging } = workspacePair();
    writeFileSync(path.join(real, "old.bin"), Buffer.alloc(3 * 1024 * 1024));
    const staged = await stageWorkspace(real, staging);
    expect(await overLimit(staged, 1)).toBeUndefined();
    const fs = await import("node:fs");
    const fd = fs.openSync(path.join(staging, "sparse.bin"), "w");
    fs.ftruncateSync(fd, 2 * 1024 * 1024);
    fs.closeSync(fd);
    expect(await overLimit(staged, 1)).toMatch(/added 2 MB to workspace\/, over its limit of 1 MB/);
  });
});

const config = {
  file: "/home/someone/project/codegen.config.ts",
  root: "/home/someone/project",
  outDir: "/home/someone/project/out",
  servers: [
    { name: "github", secrets: ["ghp_secret123"] },
    { name: "private-crm", secrets: [] },
  ],
} as unknown as ResolvedConfig;

describe("errors as the program sees them", () => {
  it("drops a crashed server's stderr tail", () => {
    const error = new ServerCrashedError("github", {
      exitCode: 3,
      signal: null,
      stderrTail: "token=ghp_secret123 at /home/someone/project/server.js",
      during: "tools/call",
    });
    const wire = errorForProgram(error, config);
    expect(wire.message).toBe("the server process exited with code 3.");
    expect(JSON.stringify(wire)).not.toMatch(/ghp_secret123|someone|stderr/);
    expect(wire.fields).toMatchObject({ server: "github", exitCode: 3 });
  });

  it("names neither the config's path nor the other servers", () => {
    const error = new RuntimeError(
      'server "nope" is not in /home/someone/project/codegen.config.ts (it has: github, private-crm). Regenerate the stubs or add the server to the config.',
    );
    expect(errorForProgram(error, config).message).toBe(
      'server "nope" is not in the config. Regenerate the stubs or add the server to the config.',
    );
  });

  it("redacts configured secrets anywhere in the message and fields", () => {
    const error = Object.assign(new Error("bad token ghp_secret123"), { detail: "ghp_secret123" });
    expect(JSON.stringify(errorForProgram(error, config))).not.toContain("ghp_secret123");
  });
});

describe("the run's clock", () => {
  it("aborts with a time-limit error counted from the start, set late", async () => {
    const clock = new RunClock(60_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    clock.setLimit(20); // already past: fires at once
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.signal.aborted).toBe(true);
    expect(clock.signal.reason).toBeInstanceOf(RunLimitError);
    expect((clock.signal.reason as RunLimitError).limit).toBe("time");
    clock.stop();
  });
});
