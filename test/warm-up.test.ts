/**
 * The warm-up (src/warm-up.ts) runs a made-up tool through model, emit and format while the
 * servers boot: it may make the real run faster, never different.
 */
import { describe, expect, it } from "vitest";
import { readSnapshotFile } from "../src/introspect/snapshot-file.js";
import { warmUpPhases } from "../src/warm-up.js";
import { FEATURES, generateFrom, readTree, SNAPSHOTS } from "./emit/tree.js";

describe("the warm-up while servers boot", () => {
  it("leaves every golden tree byte for byte as a cold run writes it", async () => {
    const cold = new Map<string, Map<string, string>>();
    for (const feature of FEATURES) {
      const snapshot = await readSnapshotFile(`${SNAPSHOTS}/${feature}.json`);
      cold.set(feature, readTree((await generateFrom(snapshot)).outDir));
    }
    await warmUpPhases(() => false);
    for (const feature of FEATURES) {
      const snapshot = await readSnapshotFile(`${SNAPSHOTS}/${feature}.json`);
      expect(readTree((await generateFrom(snapshot)).outDir), feature).toEqual(cold.get(feature));
    }
  });

  it("starts no phase once the servers have answered", async () => {
    let asked = 0;
    await warmUpPhases(() => ++asked > 1);
    // Asked before the model, then before emit: it stopped there.
    expect(asked).toBe(2);
  });
});
