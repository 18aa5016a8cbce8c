import { mkdir, readdir, readFile, rm, stat, symlink, utimes } from "node:fs/promises";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { WriteError } from "../../src/errors.js";
import { applyPlan } from "../../src/write/apply.js";
import { backUp, writeTempFile } from "../../src/write/atomic.js";
import { planWrite } from "../../src/write/plan.js";
import type { PlanEntry } from "../../src/write/types.js";
import { put, rendered, tempProject, tree } from "./helpers.js";

/** A rendered tree with a manifest listing its files, like the generator's. */
function generation(files: Record<string, string>): Record<string, string> {
  const listed = Object.keys(files).sort();
  return { ...files, "manifest.json": JSON.stringify({ files: listed }) };
}

/** What the manifest on disk lists (the CLI's job; here the test's). */
async function listedOnDisk(servers: string): Promise<string[]> {
  try {
    return (
      JSON.parse(await readFile(path.join(servers, "manifest.json"), "utf8")) as { files: string[] }
    ).files;
  } catch {
    return [];
  }
}

/** Plans and applies `files` against what the manifest on disk lists. */
async function generate(
  outDir: string,
  files: Record<string, string>,
  beforeStep?: (e: PlanEntry) => void,
) {
  const servers = path.join(outDir, "servers");
  const plan = await planWrite({
    outDir,
    files: rendered(files),
    previousFiles: await listedOnDisk(servers),
  });
  await applyPlan(plan, beforeStep ? { beforeStep } : {});
  return plan;
}

const OLD = generation({
  "README.md": "old readme",
  "memory/a.ts": "a1",
  "memory/b.ts": "b1",
  "gone/x.ts": "x",
});
const NEW = generation({
  "README.md": "new readme",
  "memory/a.ts": "a1",
  "memory/c.ts": "c1",
  "fresh/y.ts": "y",
});

describe("applyPlan", () => {
  it("writes the rendered tree exactly, and a rerun changes nothing", async () => {
    const { outDir, servers, root } = await tempProject();
    await generate(outDir, OLD);
    await generate(outDir, NEW);
    expect(await tree(servers)).toEqual(NEW); // also: no temp file left anywhere
    expect(await readdir(root)).toEqual(["out"]); // nothing outside servers/
    const again = await generate(outDir, NEW);
    expect(again.entries.every((entry) => entry.action === "unchanged")).toBe(true);
  });

  it("does not rewrite unchanged files: their mtime stays", async () => {
    const { outDir, servers } = await tempProject();
    await generate(outDir, OLD);
    const old = new Date("2020-01-01T00:00:00Z");
    for (const file of ["memory/a.ts", "memory/b.ts"])
      await utimes(path.join(servers, file), old, old);
    await generate(outDir, { ...OLD, "memory/b.ts": "b2" });
    expect((await stat(path.join(servers, "memory/a.ts"))).mtime).toEqual(old);
    expect((await stat(path.join(servers, "memory/b.ts"))).mtime).not.toEqual(old);
  });

  it("removes a folder its deletions empty, and keeps one that still holds a person's file", async () => {
    const { outDir, servers } = await tempProject();
    await generate(
      outDir,
      generation({ "a/t.ts": "1", "b/t.ts": "1", "b/deep/t.ts": "1", "c/t.ts": "1" }),
    );
    await put(servers, { "c/notes.md": "a person's notes" });
    await generate(outDir, generation({ "a/t.ts": "1" }));
    expect(await readdir(servers)).toEqual(["a", "c", "manifest.json"]);
    expect(await tree(path.join(servers, "c"))).toEqual({ "notes.md": "a person's notes" });
  });

  it("writes, then deletes, then writes the manifest last", async () => {
    const { outDir } = await tempProject();
    await generate(outDir, OLD);
    const steps: string[] = [];
    await generate(outDir, NEW, (entry) => void steps.push(`${entry.action} ${entry.path}`));
    expect(steps).toEqual([
      "update README.md",
      "create fresh/y.ts",
      "create memory/c.ts",
      "delete gone/x.ts",
      "delete memory/b.ts",
      "update manifest.json",
    ]);
  });

  it("leaves the previous tree exactly as it was when any step fails, and a rerun then succeeds", async () => {
    const total = 6; // the steps of OLD -> NEW, as listed above
    for (let stop = 0; stop < total; stop++) {
      const { outDir, servers } = await tempProject();
      await generate(outDir, OLD);
      await put(servers, { "memory/mine.ts": "a person's file" });
      let step = 0;
      const fail = () => {
        if (step++ === stop) throw new Error("disk full");
      };
      await expect(generate(outDir, NEW, fail)).rejects.toThrow("disk full");
      // No temp file, no backup, no half of the new tree: the catalog is not rewritten while
      // the stubs and the manifest stay.
      expect(await tree(servers)).toEqual({ ...OLD, "memory/mine.ts": "a person's file" });
      // A kill inside a write leaves its temp file or a backup; the rerun removes them too.
      await put(servers, {
        "memory/.c.ts.0123456789ab.tmp": "half written",
        "memory/.a.ts.0123456789ab.old": "a1",
      });
      await generate(outDir, NEW);
      expect(await tree(servers)).toEqual({ ...NEW, "memory/mine.ts": "a person's file" });
    }
  });

  it("undoes the files already replaced when the disk changed under the run", async () => {
    const { outDir, servers } = await tempProject();
    await generate(outDir, OLD);
    const plan = await planWrite({
      outDir,
      files: rendered(NEW),
      previousFiles: await listedOnDisk(servers),
    });
    // Someone puts a file where the run creates one: found after README.md was replaced.
    await put(servers, { "memory/c.ts": "a person's, written meanwhile" });
    await expect(applyPlan(plan)).rejects.toThrow(
      /memory\/c\.ts: could not be written: the file appeared/,
    );
    expect(await tree(servers)).toEqual({ ...OLD, "memory/c.ts": "a person's, written meanwhile" });
  });

  it("leaves no temp file and keeps the old manifest when a write fails", async () => {
    const { outDir, servers } = await tempProject();
    await generate(outDir, OLD);
    const plan = await planWrite({
      outDir,
      files: rendered(NEW),
      previousFiles: await listedOnDisk(servers),
    });
    // The disk changes after planning: README.md becomes a folder, so renaming onto it fails.
    await rm(path.join(servers, "README.md"));
    await mkdir(path.join(servers, "README.md"));
    // One attempt: a second one would meet the files the first already created.
    const error: unknown = await applyPlan(plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toMatch(/README\.md: could not be written/);
    const after = await tree(servers);
    expect(Object.keys(after).filter((file) => file.endsWith(".tmp"))).toEqual([]);
    expect(after["manifest.json"]).toBe(OLD["manifest.json"]);
    expect(after["gone/x.ts"]).toBe("x"); // deletions wait for the writes
  });

  it("does not replace a file that appeared after planning at a path it creates", async () => {
    const { outDir, servers } = await tempProject();
    const plan = await planWrite({
      outDir,
      files: rendered({ "m/x.ts": "generated" }),
      previousFiles: [],
    });
    await put(servers, { "m/x.ts": "a person's, written meanwhile" });
    await expect(applyPlan(plan)).rejects.toThrow(/appeared after planning/);
    expect(await tree(servers)).toEqual({ "m/x.ts": "a person's, written meanwhile" });
  });

  it("re-checks symlinks when applying, not only when planning", async () => {
    const { outDir, servers, root } = await tempProject();
    const plan = await planWrite({
      outDir,
      files: rendered({ "m/x.ts": "generated" }),
      previousFiles: [],
    });
    await mkdir(path.join(root, "elsewhere"));
    await mkdir(servers);
    await symlink(path.join(root, "elsewhere"), path.join(servers, "m"));
    await expect(applyPlan(plan)).rejects.toThrow(/symbolic link/);
    expect(await readdir(path.join(root, "elsewhere"))).toEqual([]);
  });
  it("refuses a hand-built plan with an unsafe path, writing nothing", async () => {
    const { outDir, servers, root } = await tempProject();
    const plan = {
      serversDir: servers,
      entries: [{ path: "../escape.ts", action: "create" as const }],
      contents: new Map([["../escape.ts", "x"]]),
      warnings: [],
    };
    await expect(applyPlan(plan)).rejects.toThrow(/"\.\." segment/);
    expect(await tree(root)).toEqual({});
    expect(outDir).toBe(path.dirname(servers));
  });
});

describe("writeTempFile and backUp", () => {
  it("write beside the target and leave the target alone", async () => {
    const { root } = await tempProject();
    const target = path.join(root, "f.txt");
    await put(root, { "f.txt": "one" });
    const temp = await writeTempFile(target, "two", true);
    const backup = await backUp(target);
    expect(path.dirname(temp)).toBe(root);
    expect(await readFile(temp, "utf8")).toBe("two");
    expect(await readFile(backup, "utf8")).toBe("one");
    expect(await readFile(target, "utf8")).toBe("one");
  });

  it("removes its temp file when writing fails (the folder is gone)", async () => {
    const { root } = await tempProject();
    await expect(writeTempFile(path.join(root, "missing", "f.txt"), "x", false)).rejects.toThrow();
    expect(await readdir(root)).toEqual(["out"]);
  });
});
