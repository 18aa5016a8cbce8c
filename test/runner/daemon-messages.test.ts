/** The daemon's strict check of what a client sends: every field, nothing unknown, bounded. */
import { describe, expect, it } from "vitest";
import { MAX_PROGRAM_BYTES, parseClientMessage } from "../../src/runner/daemon-messages.js";
import { newToken, tokenMatches } from "../../src/runner/daemon-token-owner.js";

const RUN = {
  type: "run",
  program: { code: "console.log(1)", resolveDir: "/work", name: "[eval].ts" },
  cwd: "/work",
  limits: { memoryMb: 64 },
  env: { ALLOWED: "yes" },
};
const ALLOWED = ["ALLOWED"];

describe("parseClientMessage", () => {
  it.each<[string, { given: unknown; want: string }]>([
    ["not an object", { given: [1], want: "a message that is not a JSON object" }],
    ["null", { given: null, want: "a message that is not a JSON object" }],
    ["an unknown type", { given: { type: "exec" }, want: "of a type it does not know" }],
    ["a hello without configFile", { given: { type: "hello" }, want: "without an absolute" }],
    [
      "a hello with a relative configFile",
      { given: { type: "hello", configFile: "a.mjs" }, want: "without an absolute" },
    ],
    [
      "a stop with an extra field",
      { given: { type: "stop", force: true }, want: "a field it does not know" },
    ],
    ["a run with an extra field", { given: { ...RUN, unsafe: true }, want: "a field it does" }],
    [
      "a status with the token again",
      { given: { type: "status", token: "t" }, want: "a field it does not know" },
    ],
    ["a run without program", { given: { ...RUN, program: "x" }, want: "without a program" }],
    [
      "a program file that is relative",
      {
        given: { ...RUN, program: { file: "task.ts" } },
        want: "program.file is not one absolute path",
      },
    ],
    [
      "a program file with more fields",
      {
        given: { ...RUN, program: { file: "/t.ts", code: "" } },
        want: "program.file is not one absolute path",
      },
    ],
    [
      "a program without code",
      { given: { ...RUN, program: { ...RUN.program, code: 1 } }, want: "program has no code" },
    ],
    [
      "a program over the size",
      {
        given: { ...RUN, program: { ...RUN.program, code: "x".repeat(MAX_PROGRAM_BYTES + 1) } },
        want: "is over 8 MiB of source",
      },
    ],
    [
      "a program name too long",
      {
        given: { ...RUN, program: { ...RUN.program, name: "n".repeat(300) } },
        want: "no short name",
      },
    ],
    ["a relative cwd", { given: { ...RUN, cwd: "." }, want: "cwd is not an absolute path" }],
    ["a cwd with NUL", { given: { ...RUN, cwd: "/a\0b" }, want: "cwd is not an absolute path" }],
    ["limits not an object", { given: { ...RUN, limits: [] }, want: "without a limits object" }],
    [
      "a limit as a string",
      { given: { ...RUN, limits: { memoryMb: "1024" } }, want: "limits.memoryMb is not" },
    ],
    [
      "a limit below its least",
      { given: { ...RUN, limits: { memoryMb: 8 } }, want: "a whole number of at least 16" },
    ],
    [
      "a limit that is not whole",
      { given: { ...RUN, limits: { timeoutMs: 1.5 } }, want: "limits.timeoutMs is not" },
    ],
    [
      "an unknown limit",
      { given: { ...RUN, limits: { cpus: 4 } }, want: "a limit it does not know" },
    ],
    [
      "an env name not allowed",
      { given: { ...RUN, env: { HOME: "/root" } }, want: "that run.env does not allow" },
    ],
    [
      "an env value not a string",
      { given: { ...RUN, env: { ALLOWED: 1 } }, want: "env.ALLOWED is not a string" },
    ],
    ["env not an object", { given: { ...RUN, env: null }, want: "without an env object" }],
  ])("refuses %s", (_title, { given, want }) => {
    const parsed = parseClientMessage(given, ALLOWED);
    expect("problem" in parsed && parsed.problem).toContain(want);
  });

  it("refuses a run before the hello said which variables are allowed", () => {
    expect(parseClientMessage(RUN, undefined)).toEqual({ problem: "a run before the hello" });
  });

  it("keeps a valid run as it came", () => {
    expect(parseClientMessage(RUN, ALLOWED)).toEqual({ message: RUN });
    const file = { ...RUN, program: { file: "/work/task.ts" }, limits: {}, env: {} };
    expect(parseClientMessage(file, ALLOWED)).toEqual({ message: file });
  });

  it("takes hello, status and stop as they come", () => {
    for (const message of [
      { type: "status" },
      { type: "stop" },
      { type: "hello", configFile: "/c.mjs" },
    ]) {
      expect(parseClientMessage(message, undefined)).toEqual({ message });
    }
  });

  it("keeps an env name like __proto__ a name", () => {
    const raw = JSON.parse('{"__proto__": "x"}') as unknown;
    const parsed = parseClientMessage({ ...RUN, env: raw }, ["__proto__"]);
    expect("message" in parsed && Object.getPrototypeOf(parsed.message)).toBe(Object.prototype);
    const env = "message" in parsed && parsed.message.type === "run" ? parsed.message.env : {};
    expect(Object.getOwnPropertyNames(env)).toEqual(["__proto__"]);
  });
});

describe("tokenMatches", () => {
  const token = newToken();
  it.each<[string, unknown, boolean]>([
    ["the token", token.toString("hex"), true],
    ["another token", newToken().toString("hex"), false],
    ["the token in capitals", token.toString("hex").toUpperCase(), false],
    ["a prefix", token.toString("hex").slice(0, 32), false],
    ["nothing", undefined, false],
    ["a number", 42, false],
    ["not hex", "z".repeat(64), false],
  ])("%s: %s", (_title, given, want) => {
    expect(tokenMatches(token, given)).toBe(want);
  });
});
