import { describe, expect, it } from "vitest";
import { countPlan, formatPlan, hasChanges } from "../../src/write/plan-text.js";
import type { PlanEntry, WritePlan } from "../../src/write/types.js";

function plan(entries: PlanEntry[], warnings: string[] = []): WritePlan {
  return { serversDir: "/abs/out/servers", entries, contents: new Map(), warnings };
}

describe("formatPlan", () => {
  it("lists changes one a line, counts unchanged files, and shows no absolute path", () => {
    const text = formatPlan(
      plan(
        [
          { path: "README.md", action: "update" },
          { path: "manifest.json", action: "update" },
          { path: "memory/createEntities.ts", action: "create" },
          { path: "memory/index.ts", action: "unchanged" },
          { path: "memory/old.ts", action: "delete" },
          { path: "memory/summary.d.ts", action: "unchanged" },
        ],
        ["the previous manifest lists servers/a, which is left alone: it is a folder"],
      ),
    );
    expect(text).toBe(
      [
        "update  servers/README.md",
        "update  servers/manifest.json",
        "create  servers/memory/createEntities.ts",
        "delete  servers/memory/old.ts",
        "1 to create, 2 to update, 1 to delete, 2 unchanged",
        "warning: the previous manifest lists servers/a, which is left alone: it is a folder",
      ].join("\n"),
    );
    expect(text).not.toContain("/abs/");
  });

  it("prints just the summary when nothing changes", () => {
    const upToDate = plan([{ path: "a.ts", action: "unchanged" }]);
    expect(formatPlan(upToDate)).toBe("0 to create, 0 to update, 0 to delete, 1 unchanged");
    expect(hasChanges(upToDate)).toBe(false);
  });

  it("counts actions", () => {
    const mixed = plan([
      { path: "a", action: "create" },
      { path: "b", action: "create" },
      { path: "c", action: "delete" },
    ]);
    expect(countPlan(mixed)).toEqual({ create: 2, update: 0, delete: 1, unchanged: 0 });
    expect(hasChanges(mixed)).toBe(true);
  });
});
