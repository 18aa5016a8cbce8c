/**
 * The config's call policy in the runtime, against real servers: the official filesystem
 * server (whose annotations mark write_file and move_file destructive, create_directory not)
 * and the `flaky` fixture (whose tools carry no annotations). Refused calls never reach the
 * server: the file a refused write_file names is never written.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import type { ServerConfig } from "../../src/config/types.js";
import { CodegenError } from "../../src/errors.js";
import {
  nobodyToAsk,
  setRuntimeApprover,
  type ApprovalRequest,
  type Approver,
} from "../../src/runtime/approver.js";
import {
  ApprovalError,
  callMcpTool,
  closeConnections,
  setRuntimeConfig,
  ToolDeniedError,
} from "../../src/runtime/index.js";
import { FIXTURES, officialServer, rejection, ROOT } from "../connect/servers.js";

const data = realpathSync(mkdtempSync(join(tmpdir(), "policy-data-")));

afterAll(async () => {
  setRuntimeApprover(undefined);
  await closeConnections();
  rmSync(data, { recursive: true, force: true });
});

/** The filesystem server on `data` and the flaky fixture, with `fs`'s policy fields. */
function useConfig(fs: Partial<ServerConfig>, flaky: Partial<ServerConfig> = {}): void {
  setRuntimeConfig(
    resolveConfig(
      {
        servers: {
          fs: { command: process.execPath, args: [officialServer("filesystem"), data], ...fs },
          flaky: { command: process.execPath, args: [join(FIXTURES, "flaky.mjs")], ...flaky },
        } as Record<string, ServerConfig>,
      },
      { root: ROOT, cwd: ROOT, env: {} },
    ),
  );
}

/** An approver that answers `answer` and keeps what it was asked. */
function answering(answer: "yes" | "no"): Approver & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  return { asked, ask: async (request) => (asked.push(request), { answer }) };
}

const write = (name: string) =>
  callMcpTool("fs", "write_file", { path: join(data, name), content: "written" });

beforeAll(() => setRuntimeApprover(nobodyToAsk("this test has nobody to ask")));

describe("allow and deny", () => {
  it("refuses a denied tool with ToolDeniedError naming server, tool, field and glob; the server never sees it", async () => {
    useConfig({ deny: ["write_*", "edit_*"] });
    const error = await rejection(write("denied.txt"));
    expect(error).toBeInstanceOf(ToolDeniedError);
    expect(error).toBeInstanceOf(CodegenError);
    expect(error).toMatchObject({
      code: "TOOL_DENIED",
      server: "fs",
      tool: "write_file",
      rule: "servers.fs.deny",
      glob: "write_*",
    });
    expect(error.message).toBe(
      'tool "write_file" of server "fs" may not be called: it matches "write_*" in servers.fs.deny. ' +
        'The call was not made. To let programs call it, remove "write_*" from servers.fs.deny in the config.',
    );
    expect(existsSync(join(data, "denied.txt"))).toBe(false);
    // What deny leaves alone goes through, on the same server.
    const listed: unknown = await callMcpTool("fs", "list_allowed_directories");
    expect(JSON.stringify(listed)).toContain(data);
  });

  it("deny beats allow", async () => {
    useConfig({ allow: ["*"], deny: ["write_file"] });
    expect(await rejection(write("both.txt"))).toMatchObject({
      rule: "servers.fs.deny",
      glob: "write_file",
    });
    expect(existsSync(join(data, "both.txt"))).toBe(false);
  });

  it("allow refuses every tool it does not match, and lets through those it does", async () => {
    useConfig({ allow: ["read_*", "write_file"] });
    const error = await rejection(
      callMcpTool("fs", "move_file", { source: "a", destination: "b" }),
    );
    expect(error).toBeInstanceOf(ToolDeniedError);
    expect(error.message).toContain("no glob of servers.fs.allow matches it");
    expect(error.message).toContain('add "move_file" to servers.fs.allow');
    await write("allowed.txt");
    expect(readFileSync(join(data, "allowed.txt"), "utf8")).toBe("written");
  });

  it("a tool left out of the stubs by include/exclude is refused at run time too", async () => {
    useConfig({ exclude: ["write_*"] });
    const excluded = await rejection(write("excluded.txt"));
    expect(excluded).toMatchObject({ rule: "servers.fs.exclude", glob: "write_*" });
    expect(excluded.message).toContain("so the stubs were generated without it");
    useConfig({ include: ["read_*"] });
    expect(await rejection(write("excluded.txt"))).toMatchObject({ rule: "servers.fs.include" });
    expect(existsSync(join(data, "excluded.txt"))).toBe(false);
  });

  it("refuses before connecting: a denied tool of a server that cannot start says it is denied", async () => {
    useConfig({ command: "/nonexistent/server", args: [], deny: ["*"] });
    expect(await rejection(write("x.txt"))).toBeInstanceOf(ToolDeniedError);
  });
});

describe("approve", () => {
  it("asks the approver before each call to a tool its globs match, with the call's arguments", async () => {
    useConfig({ approve: { tools: ["write_*"] } });
    const approver = answering("yes");
    setRuntimeApprover(approver);
    try {
      await write("approved-1.txt");
      await write("approved-2.txt");
    } finally {
      setRuntimeApprover(nobodyToAsk("this test has nobody to ask"));
    }
    expect(approver.asked).toEqual(
      [1, 2].map((n) => ({
        server: "fs",
        tool: "write_file",
        input: { path: join(data, `approved-${n}.txt`), content: "written" },
        because: 'it matches "write_*" in servers.fs.approve.tools',
      })),
    );
    expect(readFileSync(join(data, "approved-2.txt"), "utf8")).toBe("written");
  });

  it("a no fails the call with ApprovalError (answer no); the server never sees it", async () => {
    useConfig({ approve: { tools: ["write_*"] } });
    setRuntimeApprover(answering("no"));
    try {
      const error = await rejection(write("refused.txt"));
      expect(error).toBeInstanceOf(ApprovalError);
      expect(error).toMatchObject({
        code: "NOT_APPROVED",
        answer: "no",
        server: "fs",
        tool: "write_file",
        rule: "servers.fs.approve.tools",
        glob: "write_*",
      });
      expect(error.message).toContain("the person asked said no");
    } finally {
      setRuntimeApprover(nobodyToAsk("this test has nobody to ask"));
    }
    expect(existsSync(join(data, "refused.txt"))).toBe(false);
  });

  it("with nobody to ask, the call fails naming the rule, why nobody, and what to change", async () => {
    useConfig({ approve: { tools: ["write_*"] } });
    const error = await rejection(write("nobody.txt"));
    expect(error).toMatchObject({ code: "NOT_APPROVED", answer: "nobody" });
    expect(error.message).toBe(
      'tool "write_file" of server "fs" needs a person\'s yes before each call (it matches "write_*" in ' +
        "servers.fs.approve.tools), and nobody can be asked: this test has nobody to ask. The call was not made. " +
        "Run the program from a terminal to be asked, or, to let programs call it without asking, " +
        'remove "write_*" from servers.fs.approve.tools in the config.',
    );
    expect(existsSync(join(data, "nobody.txt"))).toBe(false);
  });

  it("destructive: asks for the tools the server's annotations call destructive, not the others", async () => {
    useConfig({ approve: { destructive: true } });
    const approver = answering("yes");
    setRuntimeApprover(approver);
    try {
      await write("destructive.txt"); // destructiveHint: true
      await callMcpTool("fs", "create_directory", { path: join(data, "made") }); // destructiveHint: false
      await callMcpTool("fs", "read_text_file", { path: join(data, "destructive.txt") }); // readOnlyHint: true
    } finally {
      setRuntimeApprover(nobodyToAsk("this test has nobody to ask"));
    }
    expect(approver.asked.map((request) => [request.tool, request.because])).toEqual([
      [
        "write_file",
        "servers.fs.approve.destructive is true and its annotations say destructiveHint: true",
      ],
    ]);
    expect(existsSync(join(data, "made"))).toBe(true);
  });

  it("destructive: a tool without annotations is destructive (MCP's defaults)", async () => {
    useConfig({}, { approve: { destructive: true } });
    const error = await rejection(callMcpTool("flaky", "echo", { a: 1 }));
    expect(error).toMatchObject({
      code: "NOT_APPROVED",
      rule: "servers.flaky.approve.destructive",
    });
    expect(error.message).toContain(
      "its annotations do not say readOnlyHint: true or destructiveHint: false (MCP's defaults make such a tool destructive)",
    );
  });

  it("deny is decided before approve: a denied tool is refused without asking", async () => {
    useConfig({ deny: ["write_*"], approve: { tools: ["*"] } });
    const approver = answering("yes");
    setRuntimeApprover(approver);
    try {
      expect(await rejection(write("never.txt"))).toBeInstanceOf(ToolDeniedError);
    } finally {
      setRuntimeApprover(nobodyToAsk("this test has nobody to ask"));
    }
    expect(approver.asked).toEqual([]);
  });
});
