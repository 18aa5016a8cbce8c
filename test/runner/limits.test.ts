/** A run's limits: the command line's or the config's, and in the daemon never above the config's. */
import { describe, expect, it } from "vitest";
import { DEFAULT_RUN_CONFIG, type ResolvedConfig } from "../../src/config/types.js";
import {
  clampedLimitsFor,
  limitsFor,
  loweredLimits,
  type RunLimits,
} from "../../src/runner/limits.js";

const CONFIG = {
  run: {
    ...DEFAULT_RUN_CONFIG,
    timeoutMs: 5_000,
    memoryMb: 128,
    maxOutputBytes: 65_536,
    maxWorkspaceMb: 10,
  },
} as ResolvedConfig;
const MOST: RunLimits = {
  timeoutMs: 5_000,
  memoryMb: 128,
  maxOutputBytes: 65_536,
  maxWorkspaceMb: 10,
};

describe("clampedLimitsFor", () => {
  it.each<[string, { given: Partial<RunLimits>; want: RunLimits }]>([
    ["nothing asked: the config's", { given: {}, want: MOST }],
    [
      "everything above: the config's",
      {
        given: {
          timeoutMs: 86_400_000,
          memoryMb: 100_000,
          maxOutputBytes: 1024 ** 3,
          maxWorkspaceMb: 1_048_576,
        },
        want: MOST,
      },
    ],
    [
      "everything below: as asked",
      {
        given: { timeoutMs: 1, memoryMb: 16, maxOutputBytes: 1024, maxWorkspaceMb: 1 },
        want: { timeoutMs: 1, memoryMb: 16, maxOutputBytes: 1024, maxWorkspaceMb: 1 },
      },
    ],
    ["equal to the config's: as asked", { given: { ...MOST }, want: MOST }],
    [
      "one above, one below: each on its own",
      { given: { memoryMb: 1024, timeoutMs: 1000 }, want: { ...MOST, timeoutMs: 1000 } },
    ],
  ])("%s", (_title, { given, want }) => {
    expect(clampedLimitsFor(CONFIG, given)).toEqual(want);
  });

  it("differs from limitsFor only where the client asked for more", () => {
    expect(limitsFor(CONFIG, { memoryMb: 1024 }).memoryMb).toBe(1024);
    expect(clampedLimitsFor(CONFIG, { memoryMb: 1024 }).memoryMb).toBe(128);
  });
});

describe("loweredLimits", () => {
  it.each<[string, { given: Partial<RunLimits>; want: string[] }]>([
    ["nothing asked", { given: {}, want: [] }],
    ["below the config's", { given: { memoryMb: 64 }, want: [] }],
    [
      "above the config's",
      {
        given: { memoryMb: 100_000, maxWorkspaceMb: 11 },
        want: [
          "the daemon runs programs with --memory at most 128 (run.memory in the config), not 100000; raise it there, or run with --no-daemon",
          "the daemon runs programs with --max-workspace at most 10 (run.maxWorkspace in the config), not 11; raise it there, or run with --no-daemon",
        ],
      },
    ],
  ])("%s", (_title, { given, want }) => {
    expect(loweredLimits(CONFIG, given)).toEqual(want);
  });
});
