/**
 * `mcp-codegen serve` end to end, with the SDK's client as the MCP client, over stdio and over
 * HTTP: a program that chains tools of two servers returns only what it printed, and each kind
 * of failure comes back as a readable tool error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processesWithMarker } from "../e2e/cli.js";
import {
  connectHttp,
  connectStdio,
  execute,
  serveProject,
  startHttpServe,
  type Connected,
  type HttpServe,
  type ServeProject,
} from "./harness.js";

/** Adds with the 2026-07-28 server, echoes with the 1.x one, prints one line. */
const CHAIN = `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
import { add } from "./servers/modern/index.js";
interface Sum { sum: number }
const { sum }: Sum = await add({ a: 2, b: 3 });
const echoed = await callMcpTool<ContentResult>("flaky", "echo", { said: \`sum is \${sum}\` });
const big: string = JSON.parse(echoed.text).said;
console.log(big.toUpperCase());
`;

const FAILURES: readonly [string, string, RegExp][] = [
  [
    "a syntax error",
    "const x: number = ;",
    /could not be compiled:\n.*execute_code\.ts:1:\d+: error/,
  ],
  [
    "a thrown TypeError",
    "const o: { a?: { b: number } } = {};\nconsole.log(o.a!.b);",
    /TypeError: Cannot read properties of undefined \(reading 'b'\)/,
  ],
  [
    "a tool's error",
    `import { callMcpTool } from "mcp-codegen/runtime";\nawait callMcpTool("flaky", "fail", {});`,
    /McpToolError: tool "fail" of server "flaky" returned an error: it failed/,
  ],
  [
    "a denied tool",
    `import { callMcpTool } from "mcp-codegen/runtime";\nawait callMcpTool("flaky", "exit", { code: 1 });`,
    /ToolDeniedError: tool "exit" of server "flaky" may not be called: .*servers\.flaky\.deny/,
  ],
  [
    "an approval nobody can give",
    `import { callMcpTool } from "mcp-codegen/runtime";\nawait callMcpTool("flaky", "big", { bytes: 10 });`,
    /ApprovalError: tool "big" of server "flaky" needs a person's yes .*nobody can be asked: serve ran this program for a 2026-07-28 client/,
  ],
];

describe.each(["stdio", "http"] as const)("serve over %s", (transport) => {
  let project: ServeProject;
  let http: HttpServe | undefined;
  let connected: Connected;
  beforeAll(async () => {
    project = await serveProject({
      servers: { flaky: { deny: ["exit"], approve: { tools: ["big"] } } },
    });
    if (transport === "http") {
      http = await startHttpServe(project);
      connected = await connectHttp(http.url);
    } else {
      connected = await connectStdio(project);
    }
  });
  afterAll(async () => {
    await connected?.close();
    await http?.stop();
  });

  it("lists its tools and teaches the workflow in its instructions", async () => {
    const { tools } = await connected.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "execute_code",
      "list_skills",
      "list_workspace",
      "read_definitions",
      "save_skill",
      "search_tools",
    ]);
    expect(connected.client.getInstructions()).toMatch(/one TypeScript program/i);
    expect(connected.client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
  });

  it("runs a typed program chaining two servers' tools and returns only what it printed", async () => {
    const result = await execute(connected.client, CHAIN);
    expect(result).toEqual({ text: "SUM IS 5\n", isError: false });
  });

  it.each(FAILURES)("returns %s as a readable tool error", async (_what, code, expected) => {
    const result = await execute(connected.client, code);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(expected);
    expect(result.text).toContain("[exit 1: the program failed]");
    expect(result.text).not.toContain(project.dir);
  });

  it("finds a tool by what it does, and reads its definition", async () => {
    const found = await connected.client.callTool({
      name: "search_tools",
      arguments: { query: "add two numbers", detail: "name", limit: 3 },
    });
    const hits = (found.content as { text: string }[])[0]!.text;
    expect(found.isError ?? false).toBe(false);
    expect(hits).toMatch(/of \d+/);
    expect(hits).toContain("./servers/modern/add.js");
    const read = await connected.client.callTool({
      name: "read_definitions",
      arguments: { names: ["modern.add"] },
    });
    const text = (read.content as { text: string }[])[0]!.text;
    expect(text).toContain("export function add(");
    expect(text).toContain("sum: number");
    const unknown = await connected.client.callTool({
      name: "read_definitions",
      arguments: { names: ["modern.nope"] },
    });
    expect(JSON.stringify(unknown.content)).toContain("nope");
  });

  it("lists every server and tool for a search without words", async () => {
    const all = await connected.client.callTool({
      name: "search_tools",
      arguments: { query: "" },
    });
    expect(all.isError ?? false).toBe(false);
    expect(JSON.stringify(all.content)).toContain("## flaky (9 tools)");
    expect(JSON.stringify(all.content)).toContain("## modern");
  });
});

describe("serve's clients each have their own workspace", () => {
  let project: ServeProject;
  let http: HttpServe;
  const clients: Connected[] = [];
  beforeAll(async () => {
    project = await serveProject();
    http = await startHttpServe(project);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await http.stop();
  });

  it("keeps one client's files from another's programs, and across its own runs", async () => {
    const alpha = await connectHttp(http.url, { name: "alpha" });
    const beta = await connectHttp(http.url, { name: "beta" });
    clients.push(alpha, beta);
    const write = `import * as fs from "node:fs";
fs.writeFileSync("workspace/secret.txt", "alpha's");
console.log("wrote");`;
    expect(await execute(alpha.client, write)).toEqual({ text: "wrote\n", isError: false });
    const read = `import * as fs from "node:fs";
console.log(fs.existsSync("workspace/secret.txt") ? fs.readFileSync("workspace/secret.txt", "utf8") : "none");
console.log(fs.readdirSync("workspace").join(",") || "empty");`;
    expect((await execute(alpha.client, read)).text).toBe("alpha's\nsecret.txt\n");
    expect((await execute(beta.client, read)).text).toBe("none\nempty\n");
  });

  it("refuses another client's workspace to the bundler as well", async () => {
    const alpha = await connectHttp(http.url, { name: "alpha" });
    const gamma = await connectHttp(http.url, { name: "gamma" });
    clients.push(alpha, gamma);
    await execute(
      alpha.client,
      `import * as fs from "node:fs"; fs.writeFileSync("workspace/a.ts", "export const a = 'alpha-only';");`,
    );
    const { readdirSync } = await import("node:fs");
    const folder = readdirSync(`${project.dir}/workspace`).find((name) =>
      name.startsWith("alpha-"),
    );
    expect(folder).toBeDefined();
    const stolen = await execute(
      gamma.client,
      `import { a } from "./workspace/${folder}/a.ts";\nconsole.log(a);`,
    );
    expect(stolen.isError).toBe(true);
    expect(stolen.text).toContain("could not be compiled");
    expect(stolen.text).not.toContain("alpha-only");
  });
});

describe("serve's lifetime", () => {
  it("keeps its servers across runs and stops them, and itself, when stdin closes", async () => {
    const project = await serveProject();
    const connected = await connectStdio(project);
    const pid = `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
console.log((await callMcpTool<ContentResult>("flaky", "pid", {})).text);`;
    const first = await execute(connected.client, pid);
    const second = await execute(connected.client, pid);
    expect(first.isError).toBe(false);
    expect(second.text).toBe(first.text);
    const servePid = connected.pid();
    expect(processesWithMarker(project.marker).length).toBeGreaterThanOrEqual(1);
    await connected.close();
    const started = Date.now();
    while (processesWithMarker(project.marker).length > 0 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(processesWithMarker(project.marker)).toEqual([]);
    expect(servePid === null || !alive(servePid)).toBe(true);
  });
});

describe("serve's lifetime over HTTP", () => {
  it("stops its servers when it is sent SIGTERM", async () => {
    const project = await serveProject();
    const http = await startHttpServe(project);
    const connected = await connectHttp(http.url);
    expect((await execute(connected.client, "console.log(1)")).text).toBe("1\n");
    await connected.close();
    expect(processesWithMarker(project.marker).length).toBeGreaterThanOrEqual(1);
    await http.stop();
    const started = Date.now();
    while (processesWithMarker(project.marker).length > 0 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(processesWithMarker(project.marker)).toEqual([]);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
