import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_FILE_NAMES, findConfigFile } from "../../src/config/load.js";
import { tempProject } from "./temp.js";

describe("findConfigFile", () => {
  it.each(CONFIG_FILE_NAMES.map((name) => [name]))("finds %s from a nested folder", (name) => {
    const dir = tempProject({ [name]: "export default {}", "a/b/c/.keep": "" });
    expect(findConfigFile(path.join(dir, "a/b/c"))).toBe(path.join(dir, name));
  });

  it("takes the nearest config on the way up", () => {
    const dir = tempProject({
      "codegen.config.ts": "",
      "pkg/codegen.config.mjs": "",
      "pkg/src/.keep": "",
    });
    expect(findConfigFile(path.join(dir, "pkg/src"))).toBe(
      path.join(dir, "pkg/codegen.config.mjs"),
    );
  });

  it("returns undefined when no folder up to the root has one", () => {
    const dir = tempProject({ "a/.keep": "" });
    // The temp folder's parents (the system's tmpdir and up) hold no config of ours.
    expect(findConfigFile(path.join(dir, "a"))).toBeUndefined();
  });
});
