/**
 * The runner's small parts on their own: the message checks between program and host, error
 * round trips, the output limit, Node's permission flags and heap cap, and the sandbox
 * runtime's exports.
 */
import { describe, expect, it } from "vitest";
import { ServerCrashedError } from "../../src/errors.js";
import * as sandboxRuntime from "../../src/runner/child/runtime.js";
import { OutputLimit } from "../../src/runner/output-limit.js";
import { errorFromWire, errorToWire, parseProgramMessage } from "../../src/runner/protocol.js";
import { heapCap } from "../../src/runner/heap-cap.js";
import { bwrapArgs, permissionFlags } from "../../src/runner/os-sandbox.js";
import { programEnv } from "../../src/runner/program-env.js";
import * as runtime from "../../src/runtime/index.js";
import { McpToolError } from "../../src/runtime/errors.js";

describe("parseProgramMessage", () => {
  it.each([
    [null, "a message that is not an object"],
    [[1], "a message that is not an object"],
    [{ type: "request", id: 0, op: "callTool", args: [] }, "a message without a valid id"],
    [{ type: "request", id: 1.5, op: "callTool", args: [] }, "a message without a valid id"],
    [{ type: "exec", id: 1 }, 'a message of unknown type "exec"'],
    [{ type: "request", id: 1, op: "spawn", args: [] }, 'a request for unknown operation "spawn"'],
    [{ type: "request", id: 1, op: "callTool", args: "x" }, "a request with bad arguments"],
    [
      { type: "request", id: 1, op: "callTool", args: [], timeout: -1 },
      "a request with a bad timeout",
    ],
  ])("refuses %j", (message, problem) => {
    expect(parseProgramMessage(message)).toBe(problem);
  });

  it("keeps only the fields it knows", () => {
    expect(
      parseProgramMessage({
        type: "request",
        id: 3,
        op: "callTool",
        args: ["s", "t", {}],
        timeout: 500,
        progress: true,
        extra: "dropped",
      }),
    ).toEqual({
      type: "request",
      id: 3,
      op: "callTool",
      args: ["s", "t", {}],
      timeout: 500,
      progress: true,
    });
    expect(parseProgramMessage({ type: "cancel", id: 3, op: "x" })).toEqual({
      type: "cancel",
      id: 3,
    });
  });
});

describe("errors across the channel", () => {
  const classes = new Map<string, abstract new (...args: never[]) => Error>([
    ["McpToolError", McpToolError],
    ["ServerCrashedError", ServerCrashedError],
  ]);

  it("rebuilds the same class with its fields", () => {
    const original = new McpToolError("github", "get_issue", [{ type: "text", text: "not found" }]);
    const rebuilt = errorFromWire(JSON.parse(JSON.stringify(errorToWire(original))), classes);
    expect(rebuilt).toBeInstanceOf(McpToolError);
    expect(rebuilt).toMatchObject({
      name: "McpToolError",
      message: original.message,
      server: "github",
      tool: "get_issue",
      content: [{ type: "text", text: "not found" }],
      code: "TOOL_CALL",
    });
    const crashed = new ServerCrashedError("fs", {
      exitCode: 3,
      signal: null,
      stderrTail: "boom",
      during: "tools/call x",
    });
    expect(errorFromWire(errorToWire(crashed), classes)).toMatchObject({
      name: "ServerCrashedError",
      exitCode: 3,
      stderrTail: "boom",
    });
  });

  it("keeps an unknown error's name and numeric code (the SDK's protocol errors)", () => {
    const sdkLike = Object.assign(new Error("MCP error -32602: unknown tool"), {
      name: "McpError",
      code: -32602,
      data: { tool: "x" },
      handle: () => {},
    });
    const rebuilt = errorFromWire(errorToWire(sdkLike), classes);
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt).toMatchObject({ name: "McpError", code: -32602, data: { tool: "x" } });
    expect("handle" in rebuilt).toBe(false);
  });

  it("carries a thrown non-error as its text", () => {
    expect(errorToWire("plain")).toEqual({ name: "Error", message: "plain", fields: {} });
  });
});

describe("OutputLimit", () => {
  const collect = (limit: number, chunks: (string | Buffer)[]) => {
    const written: Buffer[] = [];
    const out = new OutputLimit({ write: (c) => written.push(Buffer.from(c)) }, limit);
    for (const chunk of chunks) out.push(Buffer.from(chunk));
    out.finish("output");
    return Buffer.concat(written).toString("utf8");
  };

  it("passes output under the limit untouched", () => {
    expect(collect(10, ["abc", "def\n"])).toBe("abcdef\n");
  });

  it("cuts at the limit and says how much was cut", () => {
    expect(collect(4, ["abc", "defgh\n"])).toBe(
      "abcd\n[mcp-codegen run: output truncated: 5 more bytes after the first 4 were cut (--max-output 4)]\n",
    );
  });

  it("never splits a character", () => {
    // "é" is two bytes: a limit of 2 after "a" would split it.
    expect(collect(2, ["aé"]).split("\n")[0]).toBe("a");
  });
});

describe("sandbox settings", () => {
  it("grants folders one flag each, in the flag of the Node version", () => {
    const access = { readFolders: ["/tmp/run", "/p/ws/"], writeFolders: ["/p/ws"] };
    expect(permissionFlags(access, 20)).toEqual([
      "--experimental-permission",
      "--allow-fs-read=/tmp/run/*",
      "--allow-fs-read=/p/ws/*",
      "--allow-fs-write=/p/ws/*",
    ]);
    expect(permissionFlags(access, 22)[0]).toBe("--permission");
  });

  it("caps the heap through the sandbox's /proc/meminfo where Node 20 sizes it from there", () => {
    // Twice the cap, which V8 halves: the 512 MB default, in the format libuv reads.
    const { meminfo } = heapCap(512, 20) as { meminfo: string };
    expect(meminfo.split("\n")).toEqual([
      expect.stringMatching(/^MemTotal: +1048576 kB$/),
      expect.stringMatching(/^MemFree: +1048576 kB$/),
      expect.stringMatching(/^MemAvailable: +1048576 kB$/),
      "",
    ]);
    expect(heapCap(2048, 20)).toHaveProperty("meminfo");
    // Outside what V8 derives from memory (256 MB to 2 GB), or a V8 not measured: the flag.
    expect(heapCap(128, 20)).toEqual({ flag: "--max-old-space-size=128" });
    expect(heapCap(4096, 20)).toEqual({ flag: "--max-old-space-size=4096" });
    expect(heapCap(512, 22)).toEqual({ flag: "--max-old-space-size=512" });
  });

  it("binds the meminfo file over the sandbox's own /proc, and nothing without one", () => {
    const args = bwrapArgs("/tmp/run", "/tmp/run/meminfo-512");
    const proc = args.indexOf("--proc");
    expect(args.slice(proc, proc + 5)).toEqual([
      "--proc",
      "/proc",
      "--ro-bind",
      "/tmp/run/meminfo-512",
      "/proc/meminfo",
    ]);
    expect(bwrapArgs("/tmp/run")).not.toContain("/proc/meminfo");
  });

  it("passes only the allowed variables that are set", () => {
    expect(programEnv(["TZ", "MISSING"], { TZ: "UTC", TOKEN: "secret" })).toEqual({ TZ: "UTC" });
  });
});

describe("the sandbox's runtime", () => {
  it("exports every name the real runtime does", () => {
    const missing = Object.keys(runtime).filter((name) => !(name in sandboxRuntime));
    expect(missing).toEqual([]);
  });
});
