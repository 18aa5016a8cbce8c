/**
 * Same servers in, byte-identical tree out: a rerun changes and rewrites nothing and reuses every
 * tool file, the snapshot handed in is never mutated, and neither the order of the tools nor the
 * order of keys inside their schemas changes a byte. All snapshot fixtures at once, as one.
 */
import { readFileSync, statSync, utimesSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { GenerateResult } from "../../src/generate.js";
import type { JsonValue, Snapshot } from "../../src/introspect/snapshot.js";
import { FEATURES, generateFrom, readTree, SNAPSHOTS, tempDir } from "./tree.js";

/** Every fixture's servers in one snapshot (their names are distinct). */
function allFixtures(): Snapshot {
  const servers = FEATURES.flatMap(
    (feature) =>
      (JSON.parse(readFileSync(path.join(SNAPSHOTS, `${feature}.json`), "utf8")) as Snapshot)
        .servers,
  );
  return { snapshotVersion: 1, servers };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

// Maps keyed by names the server chose: their order is the order of the generated members.
const NAME_MAPS = new Set([
  "properties",
  "$defs",
  "definitions",
  "patternProperties",
  "dependentRequired",
  "dependentSchemas",
]);

/** The same JSON with the keys of every object reversed, except inside maps keyed by names. */
function reverseKeys(value: JsonValue, keepOrder = false): JsonValue {
  if (Array.isArray(value)) return value.map((item) => reverseKeys(item));
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(
    ([key, item]) => [key, reverseKeys(item, NAME_MAPS.has(key))] as const,
  );
  return Object.fromEntries(keepOrder ? entries : entries.reverse());
}

/** Servers and their tools in reverse order, every definition's keys reversed too. */
function reordered(snapshot: Snapshot): Snapshot {
  const servers = [...snapshot.servers].reverse().map((server) => ({
    ...server,
    tools: [...server.tools]
      .reverse()
      .map((tool) => reverseKeys(tool as unknown as JsonValue) as unknown as typeof tool),
  }));
  return { snapshotVersion: 1, servers };
}

const snapshot = allFixtures();
const toolCount = snapshot.servers.reduce((sum, server) => sum + server.tools.length, 0);
const past = new Date("2001-02-03T04:05:06Z");
let outDir: string;
let first: GenerateResult;
let second: GenerateResult;
let firstTree: Map<string, string>;
let shuffled: Snapshot;
let shuffledBefore: Snapshot;
let shuffledTree: Map<string, string>;

beforeAll(async () => {
  const frozen = deepFreeze(structuredClone(snapshot));
  ({ outDir, result: first } = await generateFrom(frozen));
  firstTree = readTree(path.join(outDir, "servers"));
  // Every file gets an old mtime: a rewrite, even of identical bytes, would show.
  for (const file of firstTree.keys()) utimesSync(path.join(outDir, "servers", file), past, past);
  ({ result: second } = await generateFrom(frozen, outDir));
  // Not frozen this time: whatever the run did to it shows against the copy.
  shuffled = reordered(snapshot);
  shuffledBefore = structuredClone(shuffled);
  const { outDir: otherDir } = await generateFrom(shuffled, tempDir());
  shuffledTree = readTree(path.join(otherDir, "servers"));
}, 60_000);

describe("idempotence", () => {
  it("covers every fixture: all servers, all tools, every file planned as a create", () => {
    expect(toolCount).toBeGreaterThan(40);
    expect(first.model.servers).toHaveLength(snapshot.servers.length);
    expect(first.stats).toEqual({ rendered: toolCount, reused: 0 });
    expect(first.plan.entries.map((e) => [e.path, e.action])).toEqual(
      [...firstTree.keys()].map((file) => [file, "create"]),
    );
  });

  it("plans a second run over the same tree as all unchanged and rewrites nothing", () => {
    expect(second.plan.entries.map((e) => [e.path, e.action])).toEqual(
      [...firstTree.keys()].map((file) => [file, "unchanged"]),
    );
    expect(readTree(path.join(outDir, "servers"))).toEqual(firstTree);
    for (const file of firstTree.keys()) {
      expect(statSync(path.join(outDir, "servers", file)).mtime, file).toEqual(past);
    }
  });

  it("reuses every tool file on the second run", () => {
    expect(second.stats).toEqual({ rendered: 0, reused: toolCount });
  });

  it("never mutates the snapshot it is given", () => {
    // The first two runs had a deep-frozen snapshot: a write to it would have thrown.
    expect(first.failures).toEqual([]);
    expect(shuffled).toEqual(shuffledBefore);
  });

  it("gives the same bytes whatever the order of servers, tools and schema keys", () => {
    const [last, shuffledFirst] = [snapshot.servers.at(-1)!, shuffled.servers[0]!];
    expect(shuffledFirst.name).toBe(last.name);
    expect(Object.keys(shuffledFirst.tools[0]!)).toEqual(Object.keys(last.tools.at(-1)!).reverse());
    expect(Object.keys(shuffledFirst.tools[0]!.inputSchema)).toEqual(
      Object.keys(last.tools.at(-1)!.inputSchema).reverse(),
    );
    expect(shuffledTree).toEqual(firstTree);
  });
});
