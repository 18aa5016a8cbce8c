/**
 * The one comparison `check` and the runtime's drift guard share: added, removed and changed
 * tools, each sorted by code units, the changed ones with the parts that differ.
 */
import { describe, expect, it } from "vitest";
import type { ManifestTool } from "../src/emit/manifest.js";
import { diffWithManifest } from "../src/manifest-diff.js";
import type { ToolHashes } from "../src/model/types.js";

const hashes: ToolHashes = {
  definition: "d",
  description: "a",
  inputSchema: "i",
  outputSchema: "o",
  annotations: "n",
};

const recordedTool = (h: ToolHashes = hashes): ManifestTool => ({
  identifier: "x",
  file: "s/x.ts",
  summary: "",
  hasOutput: false,
  renderKey: "k",
  hashes: h,
});

describe("diffWithManifest", () => {
  it("finds nothing when every tool's definition hash matches", () => {
    const diff = diffWithManifest(
      { b: recordedTool(), a: recordedTool() },
      new Map([
        ["a", hashes],
        ["b", hashes],
      ]),
      (h) => h,
    );
    expect(diff).toEqual({ added: [], removed: [], changed: [] });
  });

  it("sorts added and removed names by code units, not by locale", () => {
    const diff = diffWithManifest(
      { zeta: recordedTool(), Beta: recordedTool(), keep: recordedTool() },
      new Map([
        ["keep", hashes],
        ["b", hashes],
        ["B", hashes],
        ["_a", hashes],
      ]),
      (h) => h,
    );
    expect(diff.added).toEqual(["B", "_a", "b"]);
    expect(diff.removed).toEqual(["Beta", "zeta"]);
    expect(diff.changed).toEqual([]);
  });

  it("names the parts of a changed tool whose hashes differ, or the definition alone", () => {
    const diff = diffWithManifest(
      {
        described: recordedTool(),
        annotated: recordedTool(),
        renamedOnly: recordedTool(),
      },
      new Map<string, ToolHashes>([
        ["described", { ...hashes, definition: "d2", description: "a2", inputSchema: "i2" }],
        ["annotated", { ...hashes, definition: "d2", annotations: "n2" }],
        ["renamedOnly", { ...hashes, definition: "d2" }],
      ]),
      (h) => h,
    );
    expect(diff.changed).toEqual([
      { tool: "annotated", fields: ["title/annotations"] },
      { tool: "described", fields: ["description", "inputSchema"] },
      { tool: "renamedOnly", fields: ["definition"] },
    ]);
  });

  it("takes only the manifest's own entries, so a tool named __proto__ or toString is a name", () => {
    const recorded = JSON.parse('{"__proto__": {"hashes": {"definition": "d"}}}') as Record<
      string,
      ManifestTool
    >;
    const diff = diffWithManifest(
      recorded,
      new Map([
        ["__proto__", hashes],
        ["toString", hashes],
      ]),
      (h) => h,
    );
    expect(diff).toEqual({ added: ["toString"], removed: [], changed: [] });
  });

  it("hashes only the live tools the manifest knows", () => {
    const hashed: string[] = [];
    diffWithManifest(
      { known: recordedTool() },
      new Map([
        ["known", "known"],
        ["new", "new"],
      ]),
      (name) => {
        hashed.push(name);
        return hashes;
      },
    );
    expect(hashed).toEqual(["known"]);
  });
});
