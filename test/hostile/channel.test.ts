/**
 * Descriptor 3 of the program is its channel to the host: length-prefixed JSON frames of at
 * most 16 MiB. Whatever a program writes there (raw bytes, endless bytes, a 4 GB header, bad
 * JSON, bad shapes, a flood of requests, closing and reopening it) stops the program with the
 * runner's message and exit 1; the host process is unharmed, and a daemon goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FD3_WRITER as WRITER,
  PID_PROGRAM,
  expectDaemonServes,
  expectNoCanary,
  hostileProject,
  makeCanaries,
  runHostile,
  startDaemon,
  type RunResult,
  type TestDaemon,
} from "./harness.js";
import { parseProgramMessage } from "../../src/runner/protocol.js";

const canaries = makeCanaries();
const project = hostileProject(canaries);

const header = (n: number) =>
  `(() => { const h = Buffer.alloc(4); h.writeUInt32BE(${n}, 0); return h; })()`;

/** [title, program, what the runner says it sent]. */
const ABUSE: [string, string, RegExp][] = [
  [
    "raw bytes that are no frame",
    `${WRITER}await send(Buffer.from("hello, this is not a frame at all"));\nawait forever();\n`,
    /a message of \d+ bytes, over the limit of 16777216/,
  ],
  [
    "700 MB with no complete frame",
    `${WRITER}await send(${header(16 * 1024 * 1024 - 1)});
const chunk = Buffer.alloc(1 << 20, 65);
for (let i = 0; i < 700; i++) await send(chunk);
await forever();
`,
    /a message that is not JSON/,
  ],
  [
    "a header announcing 4 GB",
    `${WRITER}await send(${header(0xffffffff)});\nawait forever();\n`,
    /a message of 4294967295 bytes, over the limit/,
  ],
  [
    "a header announcing 16 MiB + 1",
    `${WRITER}await send(${header(16 * 1024 * 1024 + 1)});\nawait forever();\n`,
    /a message of 16777217 bytes, over the limit/,
  ],
  [
    "invalid JSON",
    `${WRITER}await send(frame("{oops"));\nawait forever();\n`,
    /a message that is not JSON/,
  ],
  [
    "invalid UTF-8 JSON",
    `${WRITER}await send(Buffer.from([0, 0, 0, 3, 0x22, 0xff, 0x22]));\nawait send(frame("[]"));\nawait forever();\n`,
    /a message (that is not an object|that is not JSON|without a valid id)/,
  ],
  [
    "an array",
    `${WRITER}await send(frame("[]"));\nawait forever();\n`,
    /a message that is not an object/,
  ],
  [
    "a second ready",
    `${WRITER}await send(frame('{"type":"ready","id":1}'));\nawait forever();\n`,
    /a message of unknown type "ready"/,
  ],
  [
    "an unknown operation",
    `${WRITER}await send(frame('{"type":"request","id":1,"op":"exec","args":["sh"]}'));\nawait forever();\n`,
    /a request for unknown operation "exec"/,
  ],
  [
    "args not an array",
    `${WRITER}await send(frame('{"type":"request","id":1,"op":"callTool","args":"x"}'));\nawait forever();\n`,
    /a request with bad arguments/,
  ],
  [
    "the same id twice",
    `${WRITER}const r = JSON.stringify({ type: "request", id: 7, op: "callTool", args: ["flaky", "slow", { ms: 5000 }] });
await send(Buffer.concat([frame(r), frame(r)]));
await forever();
`,
    /request id 7 twice/,
  ],
  [
    "10,000 requests at once",
    `${WRITER}const frames: Buffer[] = [];
for (let id = 1; id <= 10_000; id++) frames.push(frame(JSON.stringify({ type: "request", id, op: "callTool", args: ["flaky", "slow", { ms: 5000 }] })));
await send(Buffer.concat(frames));
await forever();
`,
    /more than 1000 requests at once/,
  ],
  [
    "10,000 requests through the runtime's own channel",
    `const channel = (globalThis as Record<symbol, { send(m: unknown): void }>)[Symbol.for("mcp-codegen.host-channel")]!;
for (let id = 1; id <= 10_000; id++) channel.send({ type: "request", id: 1_000_000 + id, op: "callTool", args: ["flaky", "slow", { ms: 5000 }] });
await new Promise(() => setInterval(() => {}, 1000));
`,
    /more than 1000 requests at once/,
  ],
];

/** Messages whose shape is wrong, checked where the host parses them (the stop path is above). */
const SHAPES: [string, string, RegExp][] = [
  ["null", "null", /a message that is not an object/],
  ["a string", '"request"', /a message that is not an object/],
  ["no id", '{"type":"request","op":"callTool","args":[]}', /a message without a valid id/],
  ["id 0", '{"type":"request","id":0,"op":"callTool","args":[]}', /a message without a valid id/],
  [
    "a fractional id",
    '{"type":"request","id":1.5,"op":"callTool","args":[]}',
    /a message without a valid id/,
  ],
  [
    "an id past 2^53",
    '{"type":"request","id":1e300,"op":"callTool","args":[]}',
    /a message without a valid id/,
  ],
  [
    "__proto__ as operation",
    '{"type":"request","id":1,"op":"__proto__","args":[]}',
    /a request for unknown operation/,
  ],
  [
    "too many args",
    '{"type":"request","id":1,"op":"callTool","args":[1,2,3,4,5,6,7,8,9]}',
    /a request with bad arguments/,
  ],
  [
    "a negative timeout",
    '{"type":"request","id":1,"op":"callTool","args":["flaky","echo",{}],"timeout":-1}',
    /a request with a bad timeout/,
  ],
  ["a cancel with a bad id", '{"type":"cancel","id":"x"}', /a message without a valid id/],
];

describe("messages of a bad shape", () => {
  it.each(SHAPES)("%s", (_title, json, said) => {
    const parsed = parseProgramMessage(JSON.parse(json));
    expect(typeof parsed).toBe("string");
    expect(parsed).toMatch(said);
  });
});

function expectStoppedForChannel(result: RunResult, said: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(
    /mcp-codegen run: the program sent .* on its channel to the runner; it was stopped\.\n/,
  );
  expect(result.stderr).toMatch(said);
  expect(result.stderr).not.toContain("This is a bug");
  expect(result.stderr).not.toContain("failed unexpectedly");
  // Stopped when it misbehaved, not at its time limit.
  expect(result.stderr).not.toContain("its time limit");
  expectNoCanary(result, canaries);
}

describe("channel abuse (no daemon)", () => {
  it.each(ABUSE)("%s", async (_title, program, said) => {
    const result = await runHostile(project, canaries, program, ["--timeout", "15000"]);
    expectStoppedForChannel(result, said);
    expect(result.ms).toBeLessThan(12_000);
  });

  it("closing descriptor 3 and opening another file there reaches nothing of the host", async () => {
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
import { callMcpTool } from "mcp-codegen/runtime";
fs.closeSync(3);
const fd = fs.openSync("workspace/reopened", "w+");
console.log("reopened as", fd);
fs.writeSync(fd, Buffer.from([0, 0, 0, 2, 0x7b, 0x7d]));
try {
  await callMcpTool("flaky", "echo", { message: "after" });
  console.log("called");
} catch (error) {
  console.log("call failed", (error as Error).name);
}
`,
      ["--timeout", "5000"],
    );
    // The program loses its channel: its call can never be answered (what it sends lands in
    // its own file), so it fails or waits for its time limit; the run does not succeed.
    expect([1, 124]).toContain(result.code);
    expect(result.stdout).toBe("reopened as 3\n");
    expect(result.stderr).not.toContain("This is a bug");
    expect(result.stderr).toContain("the program's changes were not kept (created reopened)");
    expectNoCanary(result, canaries);
  });

  it("prototype names as server, tool or operation arguments are plain errors", async () => {
    const result = await runHostile(
      project,
      canaries,
      `import { callMcpTool, readResource, getPrompt } from "mcp-codegen/runtime";
const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "prototype"];
const seen: string[] = [];
for (const name of names) {
  for (const f of [() => callMcpTool(name, name, {}), () => callMcpTool("flaky", name, {}), () => readResource(name, name), () => getPrompt(name, name, {})]) {
    try { await f(); seen.push("ok"); } catch (error) { seen.push((error as Error).name); }
  }
}
console.log(JSON.stringify(seen));
`,
      ["--timeout", "15000"],
    );
    expect(result.stderr).not.toContain("This is a bug");
    expect(result.code).toBe(0);
    const seen = JSON.parse(result.stdout) as string[];
    expect(seen).toHaveLength(20);
    for (const name of seen) expect(name).not.toMatch(/^(TypeError|RangeError|ok)$/);
  });
  it("a resource template and its parameters are the program's: odd shapes, huge and broken templates are plain errors", async () => {
    const result = await runHostile(
      project,
      canaries,
      `import { listResourceTemplates, readResourceTemplate } from "mcp-codegen/runtime";
const attempts = [
  () => readResourceTemplate("flaky", "flaky://item/{id}", { id: { toString: 1 } } as never),
  () => readResourceTemplate("flaky", "flaky://item/{id}", ["1"] as never),
  () => readResourceTemplate("flaky", "flaky://item/{id}", { id: [1, 2] } as never),
  () => readResourceTemplate("flaky", "flaky://item/{id}", 7 as never),
  () => readResourceTemplate("flaky", "x://" + "{a}".repeat(20000), {}),
  () => readResourceTemplate("flaky", "{", {}),
  () => readResourceTemplate("flaky", 42 as never, {}),
  () => readResourceTemplate("__proto__", "x://{a}", { a: "b" }),
  () => listResourceTemplates("constructor"),
];
const seen: string[] = [];
for (const f of attempts) {
  try { await f(); seen.push("ok"); } catch (error) { seen.push((error as Error).name); }
}
// The control: a well-formed call reads the resource the template names.
const contents = await readResourceTemplate("flaky", "flaky://item/{id}", { id: "3" });
console.log(JSON.stringify({ seen, uri: contents[0]?.uri }));
`,
      ["--timeout", "15000"],
    );
    expect(result.stderr).not.toContain("This is a bug");
    expect(result.code, result.stderr).toBe(0);
    const { seen, uri } = JSON.parse(result.stdout) as { seen: string[]; uri: string };
    expect(seen).toHaveLength(9);
    for (const name of seen) expect(name).not.toMatch(/^(TypeError|RangeError|ok)$/);
    // The two templates that do not parse are our own error, not the parser's.
    expect(seen[4]).toBe("RuntimeError");
    expect(seen[5]).toBe("RuntimeError");
    expect(uri).toBe("flaky://item/3");
    expectNoCanary(result, canaries);
  });
});

describe("channel abuse (through the daemon)", () => {
  let daemon: TestDaemon;
  let daemonPid = "";
  beforeAll(async () => {
    daemon = await startDaemon(project, canaries);
    const first = await runHostile(project, canaries, PID_PROGRAM, [], {
      daemon: true,
      file: "tasks/pid.ts",
    });
    expect(first.code).toBe(0);
    daemonPid = first.stdout;
  });
  afterAll(() => daemon?.stop());

  it.each(
    ABUSE.filter(([t]) =>
      [
        "raw bytes that are no frame",
        "700 MB with no complete frame",
        "a header announcing 4 GB",
        "invalid JSON",
        "an unknown operation",
        "10,000 requests at once",
      ].includes(t),
    ),
  )("%s, and the daemon serves the next run", async (_title, program, said) => {
    const result = await runHostile(project, canaries, program, ["--timeout", "15000"], {
      daemon: true,
    });
    expectStoppedForChannel(result, said);
    await expectDaemonServes(project, canaries, daemon, daemonPid);
  });
});
