import { mkdir, symlink } from "node:fs/promises";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { WriteError } from "../../src/errors.js";
import { planWrite } from "../../src/write/plan.js";
import { checkRelativePath } from "../../src/write/paths.js";
import { put, rendered, tempProject, tree } from "./helpers.js";

const unsafe: [string, string, RegExp][] = [
  ["parent segment", "../escape.ts", /"\.\." segment/],
  ["parent deep inside", "memory/../../escape.ts", /"\.\." segment/],
  ["current segment", "./a.ts", /"\." segment/],
  ["absolute", "/etc/passwd", /absolute/],
  ["empty", "", /empty/],
  ["empty segment", "a//b.ts", /empty segment/],
  ["trailing slash", "a/", /empty segment/],
  ["NUL", "a\0.ts", /NUL/],
  ["backslash", "a\\..\\..\\x.ts", /backslash/],
  ["drive letter", "C:/x.ts", /drive letter/],
];

describe("checkRelativePath", () => {
  it.each(unsafe)("rejects %s", (_title, given, want) => {
    expect(checkRelativePath(given)).toMatch(want);
  });

  it.each(["a.ts", "memory/createEntities.ts", "..a/b..ts", ".hidden", "a/b/c/d.ts"])(
    "accepts %j",
    (given) => {
      expect(checkRelativePath(given)).toBeUndefined();
    },
  );
});

describe("planWrite path safety", () => {
  it.each(unsafe)("refuses a rendered path with %s and plans nothing", async (_title, given) => {
    const { outDir } = await tempProject();
    const planning = planWrite({
      outDir,
      files: rendered({ "ok.ts": "x", [given]: "x" }),
      previousFiles: [],
    });
    await expect(planning).rejects.toBeInstanceOf(WriteError);
    await expect(planning).rejects.toThrow(/Nothing was written/);
  });

  it.each(unsafe)(
    "ignores a previous manifest entry with %s, with a warning",
    async (_title, given) => {
      const { outDir, root } = await tempProject();
      await put(root, { "escape.ts": "outside", "etc/passwd": "outside" });
      const plan = await planWrite({ outDir, files: [], previousFiles: [given] });
      expect(plan.entries).toEqual([]);
      expect(plan.warnings).toEqual([expect.stringMatching(/left alone: the path /)]);
    },
  );

  it("refuses a folder under servers/ that is a symlink leading outside", async () => {
    const { outDir, servers, root } = await tempProject();
    await put(root, { "elsewhere/tool.ts": "outside" });
    await mkdir(servers);
    await symlink(path.join(root, "elsewhere"), path.join(servers, "memory"));
    const before = await tree(root);
    await expect(
      planWrite({ outDir, files: rendered({ "memory/new.ts": "x" }), previousFiles: [] }),
    ).rejects.toThrow(/leads outside servers\/ through a symbolic link/);
    // Listed files behind the link are not deleted either.
    const plan = await planWrite({ outDir, files: [], previousFiles: ["memory/tool.ts"] });
    expect(plan.entries).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining("symbolic link")]);
    expect(await tree(root)).toEqual(before);
  });

  it("refuses a file under servers/ that is a symlink leading outside", async () => {
    const { outDir, servers, root } = await tempProject();
    await put(root, { "secret.txt": "outside" });
    await mkdir(servers);
    await symlink(path.join(root, "secret.txt"), path.join(servers, "a.ts"));
    await expect(
      planWrite({ outDir, files: rendered({ "a.ts": "x" }), previousFiles: ["a.ts"] }),
    ).rejects.toThrow(/symbolic link/);
  });

  it("refuses a dangling symlink, whose target someone could create anywhere", async () => {
    const { outDir, servers, root } = await tempProject();
    await mkdir(servers);
    await symlink(path.join(root, "not-yet"), path.join(servers, "memory"));
    await expect(
      planWrite({ outDir, files: rendered({ "memory/x.ts": "x" }), previousFiles: [] }),
    ).rejects.toThrow(/symbolic link whose target does not exist/);
  });

  it("accepts symlinks that stay inside servers/, and servers/ itself being a link", async () => {
    const { outDir, servers, root } = await tempProject();
    await mkdir(path.join(root, "real-servers", "real-memory"), { recursive: true });
    await symlink(path.join(root, "real-servers"), servers);
    await symlink(path.join(servers, "real-memory"), path.join(servers, "memory"));
    const plan = await planWrite({
      outDir,
      files: rendered({ "memory/x.ts": "x" }),
      previousFiles: [],
    });
    expect(plan.entries).toEqual([{ path: "memory/x.ts", action: "create" }]);
  });
});
