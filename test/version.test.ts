/**
 * The render version against the goldens: `test/render-versions.json` records, for every render
 * version, a hash of every golden file. Output that changed under the same version would leave
 * users' caches serving old files, so a change to the goldens must come with a new version and
 * a new entry; entries are never edited, only added.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { shortHash } from "../src/model/hash.js";
import { RENDER_VERSION } from "../src/version.js";
import { GOLDEN, readTree, REPO } from "./emit/tree.js";

const RECORD = "test/render-versions.json";
const recorded = JSON.parse(readFileSync(path.join(REPO, RECORD), "utf8")) as Record<
  string,
  string
>;

/**
 * Every golden file by path. The generator's package version in the manifests is left out: a
 * release changes it without changing what is rendered.
 */
function goldenHash(): string {
  const files = [...readTree(GOLDEN)].map(([file, contents]) => {
    if (path.posix.basename(file) !== "manifest.json") return [file, contents];
    const manifest = JSON.parse(contents) as { generator: Record<string, unknown> };
    return [file, { ...manifest, generator: { ...manifest.generator, version: undefined } }];
  });
  return shortHash(files);
}

describe("the render version", () => {
  it("is the newest one recorded", () => {
    expect(Math.max(...Object.keys(recorded).map(Number))).toBe(RENDER_VERSION);
  });

  it("changes whenever the goldens change", () => {
    const hash = goldenHash();
    const expected = recorded[String(RENDER_VERSION)];
    if (hash !== expected) {
      throw new Error(
        expected === undefined
          ? `${RECORD} has no entry for render version ${RENDER_VERSION}: add "${RENDER_VERSION}": "${hash}"`
          : `the goldens changed (hash ${hash}, recorded ${expected} for render version ${RENDER_VERSION}): ` +
              `bump RENDER_VERSION in src/version.ts to ${RENDER_VERSION + 1}, refresh the goldens and out/, ` +
              `then add "${RENDER_VERSION + 1}" with the hash this test prints then to ${RECORD}; never edit an entry`,
      );
    }
    expect(hash).toBe(expected);
  });

  it("recorded a different output for every version", () => {
    const hashes = Object.values(recorded);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
