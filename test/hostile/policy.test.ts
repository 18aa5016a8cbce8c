/**
 * A program that skips the runtime and talks to its host itself cannot call what the config
 * refuses: the host decides, with the real runtime, whatever message arrives. Against the
 * official filesystem server on the project's `data/`: write_file is denied, create_directory
 * needs a person's yes, move_file is allowed (the control: the same raw message for it works).
 * Both through the runner (with CI set, so that nobody is asked even where the tests run on a
 * terminal) and through the daemon (which never asks).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officialServer } from "../connect/servers.js";
import {
  FD3_WRITER,
  hostileProject,
  makeCanaries,
  runHostile,
  startDaemon,
  type TestDaemon,
  VIA_SERVE,
} from "./harness.js";

const canaries = makeCanaries();
const project = hostileProject(canaries, {
  servers: {
    fs: {
      command: process.execPath,
      args: [officialServer("filesystem"), "data"],
      deny: ["write_*"],
      approve: { tools: ["create_directory"] },
    },
  },
  files: { "data/.keep": "" },
});
const data = path.join(project, "data");

/** A program that sends raw requests on the bootstrap's channel and prints each reply. */
function rawRequests(requests: readonly unknown[][]): string {
  return `const channel = globalThis[Symbol.for("mcp-codegen.host-channel")];
const replies = new Map();
channel.hold(true);
channel.onMessage((message) => {
  replies.set(message.id, message);
  if (replies.size === ${requests.length}) {
    console.log(JSON.stringify([...replies.values()].sort((a, b) => a.id - b.id)));
    channel.hold(false);
  }
});
${requests
  .map(
    (args, index) =>
      `channel.send({ type: "request", id: ${index + 1}, op: "callTool", args: ${JSON.stringify(args)} });`,
  )
  .join("\n")}
`;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: { name: string; message: string; fields: Record<string, unknown> };
}

function replies(stdout: string): Reply[] {
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]") as Reply[];
}

function moveControl(name: string): unknown[] {
  const from = path.join(data, `${name}.from`);
  writeFileSync(from, "control\n");
  return ["fs", "move_file", { source: from, destination: path.join(data, `${name}.to`) }];
}

describe.each([false, true])("raw requests to the host (daemon: %s)", (daemon) => {
  let running: TestDaemon | undefined;
  beforeAll(async () => {
    mkdirSync(data, { recursive: true });
    if (daemon) running = await startDaemon(project, canaries, "fs");
  });
  afterAll(async () => {
    await running?.stop();
  });
  const tag = daemon ? "daemon" : "runner";

  it("a denied tool and one needing a yes are refused; an allowed one runs", async () => {
    const written = path.join(data, `${tag}-written.txt`);
    const made = path.join(data, `${tag}-made`);
    const result = await runHostile(
      project,
      canaries,
      rawRequests([
        ["fs", "write_file", { path: written, content: "x" }],
        ["fs", "create_directory", { path: made }],
        moveControl(tag),
      ]),
      [],
      { daemon, env: { CI: "true" } },
    );
    expect(result.code, result.stderr).toBe(0);
    const [denied, unapproved, moved] = replies(result.stdout);
    expect(denied).toMatchObject({
      ok: false,
      error: {
        name: "ToolDeniedError",
        fields: { code: "TOOL_DENIED", rule: "servers.fs.deny", glob: "write_*" },
      },
    });
    expect(unapproved).toMatchObject({
      ok: false,
      error: {
        name: "ApprovalError",
        fields: { code: "NOT_APPROVED", answer: "nobody", rule: "servers.fs.approve.tools" },
      },
    });
    expect(unapproved?.error?.message).toContain(
      daemon
        ? "the daemon ran this program, and it has no terminal to ask on (`npx mcp-codegen run --no-daemon` asks on yours)"
        : VIA_SERVE
          ? "serve ran this program for a 2026-07-28 client, which a server cannot ask in the middle of a run"
          : "the CI environment variable is set (nobody answers in CI)",
    );
    expect(moved).toMatchObject({ ok: true });
    expect(existsSync(written)).toBe(false);
    expect(existsSync(made)).toBe(false);
    expect(existsSync(path.join(data, `${tag}.to`))).toBe(true);
  });

  it("frames written straight to descriptor 3 are held to the same policy", async () => {
    const written = path.join(data, `${tag}-fd3.txt`);
    const frames = [
      {
        type: "request",
        id: 1,
        op: "callTool",
        args: ["fs", "write_file", { path: written, content: "x" }],
      },
      { type: "request", id: 2, op: "callTool", args: moveControl(`${tag}-fd3`) },
    ];
    const result = await runHostile(
      project,
      canaries,
      // The answers come back on the channel the bootstrap reads: wait for both (or 20 s).
      `${FD3_WRITER}
const channel = globalThis[Symbol.for("mcp-codegen.host-channel")];
const answered = new Set();
channel.hold(true);
channel.onMessage((message) => answered.add(message.id));
${frames.map((frame) => `await send(frame(${JSON.stringify(JSON.stringify(frame))}));`).join("\n")}
for (let waited = 0; answered.size < ${frames.length} && waited < 20000; waited += 50) await sleep(50);
channel.hold(false);
console.log("SENT", answered.size);
`,
      [],
      { daemon },
    );
    expect(result.stdout).toContain(`SENT ${frames.length}`);
    expect(existsSync(path.join(data, `${tag}-fd3.to`))).toBe(true);
    expect(existsSync(written)).toBe(false);
  });

  it("names the tool however the program spells it: no spelling gets around deny", async () => {
    const spellings = [
      "write_file",
      "write_file\u0000",
      "write_file ",
      "Write_File",
      "./write_file",
    ];
    const result = await runHostile(
      project,
      canaries,
      rawRequests(
        spellings.map((tool) => [
          "fs",
          tool,
          { path: path.join(data, `${tag}-spelt.txt`), content: "x" },
        ]),
      ),
      [],
      { daemon },
    );
    for (const reply of replies(result.stdout)) expect(reply.ok).toBe(false);
    expect(existsSync(path.join(data, `${tag}-spelt.txt`))).toBe(false);
  });
});
