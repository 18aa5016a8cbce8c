/**
 * `searchTools` from a sandboxed program: the host reads the tree's search index and answers
 * with plain JSON. A program that sends the request itself with odd arguments (wrong types,
 * three arguments, a huge query, options that are not an object or hold prototype keys) gets
 * a plain error for each and the run goes on; an index a hostile hand rewrote is our error,
 * which names the file without the host's path. Through the runner and through the daemon.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSearchIndex } from "../../src/search/index-file.js";
import { doc } from "../search/tree.js";
import {
  expectNoCanary,
  hostileProject,
  makeCanaries,
  runHostile,
  startDaemon,
  type TestDaemon,
} from "./harness.js";

const canaries = makeCanaries();
const INDEX = renderSearchIndex([
  doc("flaky", "echo", "echo", "Echo the message back.", [["message", "What to echo"]]),
  doc("flaky", "fail", "fail", "Fail on purpose."),
]);
const project = hostileProject(canaries, { files: { "servers/search-index.json": INDEX } });

/** A program that sends `searchTools` requests with these arguments and prints every reply. */
function rawSearches(requests: readonly string[]): string {
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
const requests = [${requests.join(", ")}];
requests.forEach((args, index) => channel.send({ type: "request", id: index + 1, op: "searchTools", args }));
`;
}

interface Reply {
  readonly ok: boolean;
  readonly value?: { kind: string; value: { total: number; hits: Array<{ tool: string }> } };
  readonly error?: { name: string; message: string };
}

const replies = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!) as Reply[];

/** [what the program sends (JavaScript), what the host answers]. */
const ODD: Array<[string, RegExp]> = [
  ["[]", /query must be a string/],
  ["[42]", /query must be a string/],
  ["[null, {}]", /query must be a string/],
  ['["echo", {}, "third"]', /query must be a string/],
  ['["x".repeat(2_000_000)]', /the query is 2000000 characters long; a search takes at most 500/],
  ['["echo", "options"]', /options must be an object/],
  ['["echo", [1, 2]]', /options must be an object/],
  ['["echo", { limit: "9" }]', /limit must be a whole number/],
  ['["echo", { limit: 1e300 }]', /limit must be a whole number/],
  ['["echo", { detail: { toString: "full" } }]', /detail must be one of/],
  ['["echo", { server: "x".repeat(100_000) }]', /server must be a server's name/],
  ['["select:" + "a.b,".repeat(100_000)]', /at most 500/],
  // Within 500 characters, a hundred words that most tools have: refused before it is ranked.
  ['["file ".repeat(99)]', /the query has 99 words; a search takes at most 32/],
];

describe.each([false, true])("searchTools in the sandbox (daemon: %s)", (daemon) => {
  let running: TestDaemon | undefined;
  beforeAll(async () => {
    if (daemon) running = await startDaemon(project, canaries, "flaky");
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("finds tools through the runtime, as plain data", async () => {
    const result = await runHostile(
      project,
      canaries,
      `import { searchTools } from "mcp-codegen/runtime";
const found = await searchTools("echo message", { detail: "summary", limit: 5 });
console.log(JSON.stringify(found));
`,
      [],
      { daemon },
    );
    expect(result.code, result.stderr).toBe(0);
    const found = JSON.parse(result.stdout) as {
      total: number;
      hits: Array<Record<string, unknown>>;
    };
    expect(found.total).toBeGreaterThan(0);
    expect(found.hits[0]).toMatchObject({
      server: "flaky",
      tool: "echo",
      importPath: "./servers/flaky/echo.js",
      description: "Echo the message back.",
      parameters: ["message"],
    });
  });

  it("answers each odd request with a plain error, and the next good one with results", async () => {
    const result = await runHostile(
      project,
      canaries,
      rawSearches([
        ...ODD.map(([args]) => args),
        // Prototype keys in the options are data, not options; the search runs.
        '[ "echo", JSON.parse(\'{"__proto__": {"limit": 0}, "constructor": 1}\') ]',
        '["select:flaky.echo,__proto__"]',
      ]),
      [],
      { daemon },
    );
    expect(result.code, result.stderr).toBe(0);
    const all = replies(result.stdout);
    ODD.forEach(([args, message], i) => {
      expect(all[i], args).toMatchObject({ ok: false });
      expect(all[i]!.error!.message, args).toMatch(message);
    });
    const [protoOptions, selected] = all.slice(ODD.length);
    expect(protoOptions).toMatchObject({ ok: true, value: { kind: "value" } });
    expect(protoOptions!.value!.value.hits[0]!.tool).toBe("echo");
    expect(selected!.value!.value).toMatchObject({ total: 1, unknown: ["__proto__"] });
    expectNoCanary(result, canaries);
  });

  it("meets our error, without the host's path, when the index was tampered with", async () => {
    const file = path.join(project, "servers", "search-index.json");
    const [head, ...rest] = INDEX.split("\n");
    const names = {
      ...(JSON.parse(head!) as object),
      servers: [["a", "../.."]],
      server: [0, 0],
      identifier: ["x; process.exit()", "fail"],
    };
    writeFileSync(file, [JSON.stringify(names), ...rest].join("\n"));
    try {
      const result = await runHostile(
        project,
        canaries,
        `import { searchTools } from "mcp-codegen/runtime";
try {
  await searchTools("echo");
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));
}
`,
        [],
        { daemon },
      );
      expect(result.code, result.stderr).toBe(0);
      const error = JSON.parse(result.stdout) as { name: string; code: string; message: string };
      expect(error).toMatchObject({ name: "SearchError", code: "SEARCH" });
      expect(error.message).toContain("servers/search-index.json has a broken entry for tool 1");
      expect(error.message).toContain("run `mcp-codegen generate`");
      expect(result.stdout).not.toContain(project);
      expectNoCanary(result, canaries);
    } finally {
      writeFileSync(file, INDEX);
    }
  });
});
