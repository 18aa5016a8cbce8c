import { readdir, rm, stat, symlink, utimes } from "node:fs/promises";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureAgentFolders } from "../../src/write/agent-folders.js";
import { put, tempProject, tree } from "./helpers.js";

describe("ensureAgentFolders", () => {
  it("creates skills/ and workspace/ when missing and says so", async () => {
    const { outDir } = await tempProject();
    expect(await ensureAgentFolders(outDir)).toEqual(["skills", "workspace"]);
    expect((await readdir(outDir)).sort()).toEqual(["skills", "workspace"]);
    expect(await ensureAgentFolders(outDir)).toEqual([]);
  });

  it("creates outDir itself when it does not exist yet", async () => {
    const { outDir } = await tempProject();
    await rm(outDir, { recursive: true });
    expect(await ensureAgentFolders(outDir)).toEqual(["skills", "workspace"]);
  });

  it("creates only what is missing and never touches existing contents", async () => {
    const { outDir } = await tempProject();
    await put(outDir, { "skills/fetch-issues.ts": "export const saved = 1;\n" });
    const old = new Date("2020-01-01T00:00:00Z");
    await utimes(path.join(outDir, "skills/fetch-issues.ts"), old, old);
    await utimes(path.join(outDir, "skills"), old, old);
    expect(await ensureAgentFolders(outDir)).toEqual(["workspace"]);
    expect(await tree(path.join(outDir, "skills"))).toEqual({
      "fetch-issues.ts": "export const saved = 1;\n",
    });
    expect((await stat(path.join(outDir, "skills"))).mtime).toEqual(old);
    expect((await stat(path.join(outDir, "skills/fetch-issues.ts"))).mtime).toEqual(old);
  });

  it("leaves whatever already has those names alone: a link, even a file", async () => {
    const { outDir, root } = await tempProject();
    await put(root, { "shared-skills/s.ts": "s" });
    await symlink(path.join(root, "shared-skills"), path.join(outDir, "skills"));
    await put(outDir, { workspace: "a file, oddly" });
    expect(await ensureAgentFolders(outDir)).toEqual([]);
    expect(await tree(path.join(root, "shared-skills"))).toEqual({ "s.ts": "s" });
    expect((await stat(path.join(outDir, "workspace"))).isFile()).toBe(true);
  });
});
