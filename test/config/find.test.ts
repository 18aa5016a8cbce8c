import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CONFIG_FILE_NAMES,
  CONFIG_SEARCH_ORDER,
  findConfigFile,
  configFlagFrom,
} from "../../src/config/find.js";
import { tempProject } from "./temp.js";

describe("findConfigFile", () => {
  it.each(CONFIG_SEARCH_ORDER.map((name) => [name]))("finds %s from a nested folder", (name) => {
    const dir = tempProject({ [name]: "{}", "a/b/c/.keep": "" });
    expect(findConfigFile(path.join(dir, "a/b/c"))).toBe(path.join(dir, name));
  });

  it("takes, in one folder, the first name of the search order", () => {
    // Every name present, then removed one by one from the front: each time the next one wins.
    const files = Object.fromEntries(CONFIG_SEARCH_ORDER.map((name) => [name, "{}"]));
    for (const [index, name] of CONFIG_SEARCH_ORDER.entries()) {
      const rest = Object.fromEntries(Object.entries(files).slice(index));
      const dir = tempProject(rest);
      expect(findConfigFile(dir)).toBe(path.join(dir, name));
    }
  });

  it("puts our own names first, then .mcp.json, .cursor/mcp.json and .vscode/mcp.json", () => {
    expect(CONFIG_SEARCH_ORDER).toEqual([
      ...CONFIG_FILE_NAMES,
      ".mcp.json",
      ".cursor/mcp.json",
      ".vscode/mcp.json",
    ]);
  });

  it("takes the nearest config on the way up, whatever its kind", () => {
    const dir = tempProject({
      "codegen.config.ts": "",
      "pkg/.mcp.json": "{}",
      "pkg/src/.keep": "",
    });
    expect(findConfigFile(path.join(dir, "pkg/src"))).toBe(path.join(dir, "pkg/.mcp.json"));
  });

  it("skips the client configs of the home folder (Cursor's global one), not ours", () => {
    const home = tempProject({ ".cursor/mcp.json": "{}", ".mcp.json": "{}", "p/.keep": "" });
    expect(findConfigFile(path.join(home, "p"), home)).toBeUndefined();
    const ours = tempProject({ ".cursor/mcp.json": "{}", "codegen.config.ts": "", "p/.keep": "" });
    expect(findConfigFile(path.join(ours, "p"), ours)).toBe(path.join(ours, "codegen.config.ts"));
  });

  it("returns undefined when no folder up to the root has one", () => {
    const dir = tempProject({ "a/.keep": "" });
    // The temp folder's parents (the system's tmpdir and up) hold no config of ours.
    expect(findConfigFile(path.join(dir, "a"))).toBeUndefined();
  });
});

describe("configFlagFrom", () => {
  it("is nothing when the search from outDir finds the config, else --config with its path", () => {
    const dir = tempProject({
      "project/codegen.config.ts": "",
      "project/configs/dev servers.json": "{}",
      "project/agent/.keep": "",
      "elsewhere/.keep": "",
    });
    const project = path.join(dir, "project");
    const ts = path.join(project, "codegen.config.ts");
    expect(configFlagFrom(project, ts)).toBeUndefined();
    expect(configFlagFrom(path.join(project, "agent"), ts)).toBeUndefined();
    // Not a name the search looks for, or not on the way up from outDir.
    expect(configFlagFrom(project, path.join(project, "configs/dev servers.json"))).toBe(
      '--config "configs/dev servers.json"',
    );
    expect(configFlagFrom(path.join(dir, "elsewhere"), ts)).toBe(
      "--config ../project/codegen.config.ts",
    );
    expect(configFlagFrom(dir, undefined)).toBeUndefined();
  });
});
