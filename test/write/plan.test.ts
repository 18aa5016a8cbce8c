import { symlink } from "node:fs/promises";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { WriteError } from "../../src/errors.js";
import { planWrite } from "../../src/write/plan.js";
import { put, rendered, tempProject, tree } from "./helpers.js";

describe("planWrite", () => {
  it("classifies create, update, unchanged and delete, sorted by code unit", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, {
      "a/same.ts": "same",
      "a/changed.ts": "old",
      "gone/old.ts": "old",
      "manifest.json": "{}",
    });
    const plan = await planWrite({
      outDir,
      files: rendered({
        "a/same.ts": "same",
        "a/changed.ts": "new",
        "a/B.ts": "new file",
        "a/new.ts": "new file",
        "manifest.json": '{"v":2}',
      }),
      previousFiles: ["a/same.ts", "a/changed.ts", "gone/old.ts"],
    });
    expect(plan.serversDir).toBe(servers);
    expect(plan.entries).toEqual([
      { path: "a/B.ts", action: "create" }, // "B" < "c" in code units, unlike a locale sort
      { path: "a/changed.ts", action: "update" },
      { path: "a/new.ts", action: "create" },
      { path: "a/same.ts", action: "unchanged" },
      { path: "gone/old.ts", action: "delete" },
      { path: "manifest.json", action: "update" },
    ]);
    expect([...plan.contents.keys()].sort()).toEqual([
      "a/B.ts",
      "a/changed.ts",
      "a/new.ts",
      "manifest.json",
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it("only reads: planning leaves the disk as it was", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "a/x.ts": "old", "a/gone.ts": "old" });
    const before = await tree(outDir);
    await planWrite({
      outDir,
      files: rendered({ "a/x.ts": "new" }),
      previousFiles: ["a/x.ts", "a/gone.ts"],
    });
    expect(await tree(outDir)).toEqual(before);
  });

  it("refuses to overwrite a file the previous manifest does not list", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "memory/notes.ts": "a person's notes" });
    const planning = planWrite({
      outDir,
      files: rendered({ "memory/notes.ts": "generated", "memory/other.ts": "x" }),
      previousFiles: ["memory/other.ts"],
    });
    await expect(planning).rejects.toBeInstanceOf(WriteError);
    await expect(planning).rejects.toMatchObject({
      code: "WRITE",
      file: path.join(servers, "memory", "notes.ts"),
      message: expect.stringMatching(/previous manifest does not list it.*move it or remove it/),
    });
  });

  it("names every conflicting file in one error", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "a.ts": "mine", "b.ts": "mine too" });
    const planning = planWrite({
      outDir,
      files: rendered({ "a.ts": "x", "b.ts": "y" }),
      previousFiles: [],
    });
    await expect(planning).rejects.toThrow(/a\.ts: .*\(1 more: .*b\.ts\)\. Nothing was written\.$/);
  });

  it("adopts an unlisted file whose contents are identical (an interrupted run's leftover)", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "memory/read.ts": "generated" });
    const plan = await planWrite({
      outDir,
      files: rendered({ "memory/read.ts": "generated" }),
      previousFiles: [],
    });
    expect(plan.entries).toEqual([{ path: "memory/read.ts", action: "unchanged" }]);
  });

  it("never deletes a file the previous manifest does not list", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "memory/mine.ts": "a person's", "memory/old.ts": "generated" });
    const plan = await planWrite({ outDir, files: [], previousFiles: ["memory/old.ts"] });
    expect(plan.entries).toEqual([{ path: "memory/old.ts", action: "delete" }]);
  });

  it("keeps the paths in `keep` and skips listed files that are already gone", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "failed/tool.ts": "old", "ok/gone.ts": "old" });
    const plan = await planWrite({
      outDir,
      files: [],
      previousFiles: ["failed/tool.ts", "ok/gone.ts", "ok/never-existed.ts"],
      keep: ["failed/tool.ts"],
    });
    expect(plan.entries).toEqual([{ path: "ok/gone.ts", action: "delete" }]);
  });

  it("counts the manifest as the generator's once a previous manifest listed files", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "manifest.json": '{"old":true}' });
    const files = rendered({ "manifest.json": '{"new":true}' });
    const plan = await planWrite({ outDir, files, previousFiles: ["a/x.ts"] });
    expect(plan.entries).toEqual([{ path: "manifest.json", action: "update" }]);
    // With no previous manifest at all, a differing manifest.json is not known to be ours.
    await expect(planWrite({ outDir, files, previousFiles: [] })).rejects.toThrow(WriteError);
  });

  it("refuses a folder, or a file where a folder must go", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "a/tool.ts/inner.txt": "x", b: "a file named b" });
    await expect(
      planWrite({ outDir, files: rendered({ "a/tool.ts": "x" }), previousFiles: ["a/tool.ts"] }),
    ).rejects.toThrow(/tool\.ts: is a folder/);
    await expect(
      planWrite({ outDir, files: rendered({ "b/tool.ts": "x" }), previousFiles: ["b"] }),
    ).rejects.toThrow(/a file sits where a folder of this path goes/);
  });

  it("leaves a listed folder alone with a warning instead of deleting it", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "a/dir/x.txt": "x" });
    const plan = await planWrite({ outDir, files: [], previousFiles: ["a/dir"] });
    expect(plan.entries).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining("servers/a/dir, which is left alone")]);
  });

  it("rejects rendered paths that are duplicates, case twins, or both file and folder", async () => {
    const { outDir } = await tempProject();
    const plan = (files: Record<string, string>) =>
      planWrite({ outDir, files: rendered(files), previousFiles: [] });
    await expect(
      planWrite({
        outDir,
        files: [
          { path: "a.ts", contents: "1" },
          { path: "a.ts", contents: "2" },
        ],
        previousFiles: [],
      }),
    ).rejects.toThrow(/rendered twice/);
    await expect(plan({ "m/Get.ts": "", "m/get.ts": "" })).rejects.toThrow(/only by letter case/);
    await expect(plan({ m: "", "m/x.ts": "" })).rejects.toThrow(/as a file and as the folder/);
  });

  it("deletes temp files a killed run left next to our files, and no one else's", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, {
      "m/.x.ts.0123456789ab.tmp": "half",
      "m/.mine.ts.0123456789ab.tmp": "a person's hidden file",
      "m/.x.ts.backup.tmp": "not our shape",
      ".manifest.json.abcdefabcdef.tmp": "half",
    });
    const plan = await planWrite({
      outDir,
      files: rendered({ "m/x.ts": "x", "manifest.json": "{}" }),
      previousFiles: [],
    });
    expect(plan.entries).toEqual([
      { path: ".manifest.json.abcdefabcdef.tmp", action: "delete" },
      { path: "m/.x.ts.0123456789ab.tmp", action: "delete" },
      { path: "m/x.ts", action: "create" },
      { path: "manifest.json", action: "create" },
    ]);
  });

  it("does not mutate its inputs and gives the same plan twice", async () => {
    const { outDir, servers } = await tempProject();
    await put(servers, { "a.ts": "old" });
    const input = Object.freeze({
      outDir,
      files: Object.freeze(rendered({ "a.ts": "new", "b.ts": "b" }).map((f) => Object.freeze(f))),
      previousFiles: Object.freeze(["a.ts", "c.ts"]),
    });
    const first = await planWrite(input);
    expect(await planWrite(input)).toEqual(first);
  });

  it("works when servers/ does not exist yet", async () => {
    const { outDir, root } = await tempProject();
    await symlink(root, path.join(outDir, "unrelated-link")); // links outside servers/ do not matter
    const plan = await planWrite({ outDir, files: rendered({ "a/b.ts": "x" }), previousFiles: [] });
    expect(plan.entries).toEqual([{ path: "a/b.ts", action: "create" }]);
  });
});
