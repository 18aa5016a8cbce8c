/**
 * Privacy end to end: a sandboxed program (`mcp-codegen run`, the real sandbox; then the same
 * through the daemon) copies the records of the `people` fixture, which has privacy on, to the
 * `recorder` fixture, which writes what it receives to a file. The recorder must receive the
 * real values; the program, and so what it prints, only tokens.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { runViaDaemon } from "../../src/runner/daemon-client.js";
import { execute } from "../serve/harness.js";
import { PEOPLE } from "../../fixtures/servers/lib/people-records.mjs";
import { fixture, ROOT, runCli, tempProject } from "./cli.js";

const CONFIG_NAME = "mcp-codegen.config.mjs";

function project(): { dir: string; records: () => Record<string, unknown>[] } {
  const dir = tempProject({}, true);
  const recordFile = path.join(dir, "received.jsonl");
  const config = {
    servers: {
      people: { ...fixture("people"), privacy: { patterns: { STAFF_ID: "\\bE\\d{6}\\b" } } },
      recorder: fixture("recorder", ["--record-file", recordFile]),
    },
  };
  // The config names a file inside the folder, so it is written once the folder exists.
  writeFileSync(
    path.join(dir, CONFIG_NAME),
    `export default ${JSON.stringify(config, null, 2)};\n`,
  );
  const records = () =>
    readFileSync(recordFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { dir, records };
}

/** The program under test: copies every record, tries the tokens three ways, prints what it saw. */
const PROGRAM = `import { callMcpTool, McpToolError } from "mcp-codegen/runtime";

const listed = await callMcpTool("people", "list_people", {});
const people = listed.people;
for (const person of people) await callMcpTool("recorder", "save", { record: person });
// A token inside a longer string, and one the program made up.
const first = people[0];
const echoed = await callMcpTool("recorder", "save", {
  record: { note: "write to " + first.email + " or [EMAIL_99]", [first.phone]: "a key" },
});
let refused = "";
try {
  await callMcpTool("people", "find_person", { email: first.email });
} catch (error) {
  refused = error instanceof McpToolError ? error.message : String(error);
}
console.log(JSON.stringify({ people, echoed: echoed.text, refused }));
`;

/** Every personal value of the fixture's records (the invalid card aside). */
const REAL_VALUES = [
  ...new Set(PEOPLE.flatMap((p) => [p.email, p.phone, p.iban, p.ip])),
  PEOPLE[0]!.card,
  PEOPLE[1]!.card,
  "+1 (415) 555-2671",
  "E123456",
];

interface Seen {
  people: (typeof PEOPLE)[number][];
  echoed: string;
  refused: string;
}

/** What both runs (direct and through the daemon) must show. */
function expectTokenized(stdout: string, records: Record<string, unknown>[]) {
  for (const value of REAL_VALUES) expect(stdout).not.toContain(value);
  const seen = JSON.parse(stdout) as Seen;
  const [jane, jean, taro] = seen.people;
  expect(jane).toEqual({
    name: "Jane Doe",
    email: "[EMAIL_1]",
    phone: "[PHONE_1]",
    card: "[CARD_1]",
    iban: "[IBAN_1]",
    ip: "[IP_1]",
    note: "Order 2024-0001-7731 shipped 2024-01-15T10:30:00Z by client v1.2.3 (staff [STAFF_ID_1]).",
  });
  expect(jean).toMatchObject({ email: "[EMAIL_2]", card: "[CARD_2]", ip: "[IP_2]" });
  expect(jean!.note).toBe("Call [PHONE_3] after 18:30; ticket 1700000000000.");
  // The same address twice: the same token. A card failing Luhn is no card.
  expect(taro).toMatchObject({ email: "[EMAIL_1]", card: "4111 1111 1111 1112", ip: "[IP_3]" });
  expect(taro!.note).toBe(PEOPLE[2]!.note);
  // The recorder (no privacy) echoed the real values it received: known values stay tokens.
  expect(JSON.parse(seen.echoed)).toEqual({
    record: { note: "write to [EMAIL_1] or [EMAIL_99]", "[PHONE_1]": "a key" },
  });
  // The server's error quoted the real address; the program sees the token.
  expect(seen.refused).toContain("no person has the address [EMAIL_1]");

  // What the recorder received: the real records, and the tokens of the text made real.
  expect(records.slice(0, 3).map((r) => r.record)).toEqual(PEOPLE);
  expect(records[3]).toEqual({
    record: { note: `write to ${PEOPLE[0]!.email} or [EMAIL_99]`, [PEOPLE[0]!.phone]: "a key" },
  });
}

describe("privacy: personal data stays in the host", () => {
  it("gives the program tokens and the next server the real values (mcp-codegen run)", async () => {
    const { dir, records } = project();
    const run = await runCli(["run", "--no-daemon", "--config", CONFIG_NAME, "--eval", PROGRAM], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expectTokenized(run.stdout, records());
    for (const value of REAL_VALUES) expect(run.stderr).not.toContain(value);
  });

  it("does the same through the daemon, with a token map of each run's own", async () => {
    const { dir, records } = project();
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "bin/mcp-codegen.js"), "daemon", "--config", CONFIG_NAME],
      { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => (log += text));
    try {
      const begun = Date.now();
      while (!log.includes("serving 2 servers")) {
        if (Date.now() - begun > 20_000 || child.exitCode !== null) {
          throw new Error(`the daemon did not start:\n${log}`);
        }
        await sleep(50);
      }
      const runOnce = async (code: string) => {
        let stdout = "";
        let stderr = "";
        const exit = await runViaDaemon({
          configFile: path.join(dir, CONFIG_NAME),
          program: { code, resolveDir: dir, name: "[eval].ts" },
          cwd: dir,
          limits: {},
          env: {},
          stdout: { write: (chunk) => void (stdout += Buffer.from(chunk).toString()) },
          stderr: { write: (chunk) => void (stderr += Buffer.from(chunk).toString()) },
        });
        return { exit, stdout, stderr };
      };
      const first = await runOnce(PROGRAM);
      expect(first.exit, first.stderr).toBe(0);
      expectTokenized(first.stdout, records());
      // A later run has a map of its own: the last run's token means nothing in it.
      const later = await runOnce(
        `import { callMcpTool } from "mcp-codegen/runtime";
await callMcpTool("recorder", "save", { record: { stale: "[EMAIL_1]" } });`,
      );
      expect(later.exit, later.stderr).toBe(0);
      expect(records().at(-1)).toEqual({ record: { stale: "[EMAIL_1]" } });
      expect(log).not.toContain(PEOPLE[0]!.email);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("does the same through serve: execute_code's result holds only tokens", async () => {
    const { dir, records } = project();
    const client = new Client({ name: "privacy-test", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [path.join(ROOT, "bin/mcp-codegen.js"), "serve", "--config", CONFIG_NAME],
        cwd: dir,
        stderr: "ignore",
      }),
    );
    try {
      const result = await execute(client, PROGRAM);
      expect(result.isError, result.text).toBe(false);
      expectTokenized(result.text.trim(), records());
      // A later call is a run of its own: the earlier token maps to nothing.
      const later = await execute(
        client,
        `import { callMcpTool } from "mcp-codegen/runtime";
await callMcpTool("recorder", "save", { record: { stale: "[EMAIL_1]" } });`,
      );
      expect(later.isError, later.text).toBe(false);
      expect(records().at(-1)).toEqual({ record: { stale: "[EMAIL_1]" } });
    } finally {
      await client.close();
    }
  }, 90_000);
});
