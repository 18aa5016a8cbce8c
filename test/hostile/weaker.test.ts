/**
 * The rest of the boundary: who the program is inside (uid 65534, no capabilities, a /proc and
 * PID namespace of its own), what host paths it can learn about (nothing), what its output can
 * do to a terminal (only colour), and what errors crossing into it tell (nothing of the host:
 * not the config's path, not other servers, not a server's stderr, not a secret).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { TerminalText } from "../../src/runner/terminal-text.js";
import { fixture } from "../e2e/cli.js";
import {
  CONFIG_NAME,
  PROGRAM,
  ROOT,
  expectNoCanary,
  hostileProject,
  jsonOut,
  makeCanaries,
  runHostile,
  workspaceOf,
} from "./harness.js";

const canaries = makeCanaries();
const ESC = "\u001b";

describe("who the program is", () => {
  it("runs as uid 65534 with no capabilities, in a PID namespace of its own, learning no host path", async () => {
    const project = hostileProject(canaries);
    // Links the user left in the workspace (a program cannot make one): Node's permission model
    // checks the link's path, so through them the program sees its mount namespace as it is.
    symlinkSync("/proc/self/status", path.join(workspaceOf(project), "status"));
    symlinkSync("/", path.join(workspaceOf(project), "root"));
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
import * as os from "node:os";
const seen: Record<string, unknown> = {
  uid: process.getuid!(),
  gid: process.getgid!(),
  euid: process.geteuid!(),
  groups: process.getgroups!(),
  pid: process.pid,
  hostname: os.hostname(),
};
const attempt = (what: string, f: () => unknown) => {
  try { seen[what] = "ok " + JSON.stringify(f()); } catch (error) { seen[what] = "failed " + String((error as { code?: string }).code); }
};
attempt("status", () => /CapEff:\\s*(\\w+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1]);
attempt("proc", () => fs.readdirSync("/proc").filter((n) => /^\\d+$/.test(n)));
attempt("linked status", () => Object.fromEntries(fs.readFileSync("workspace/status", "utf8").split("\\n").filter((l) => /^(Uid|Gid|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):/.test(l)).map((l) => l.split(/:\\s+/))));
attempt("linked root", () => fs.readdirSync("workspace/root").sort());
attempt("linked proc", () => fs.readdirSync("workspace/root/proc").filter((n) => /^\\d+$/.test(n)));
attempt("linked tmp", () => fs.readdirSync("workspace/root/tmp"));
for (const where of ["/root/.ssh", "/root", "/work", "/home", ${JSON.stringify(project)}, ${JSON.stringify(canaries.home)}, ${JSON.stringify(canaries.sshKeyFile)}, ${JSON.stringify(ROOT)}, "/etc/passwd", "/tmp"]) {
  attempt("realpath " + where, () => fs.realpathSync(where));
  attempt("native realpath " + where, () => fs.realpathSync.native(where));
  attempt("exists " + where, () => { if (!fs.existsSync(where)) throw Object.assign(new Error(), { code: "ABSENT" }); return true; });
  attempt("stat " + where, () => fs.statSync(where).isDirectory());
}
console.log(JSON.stringify(seen));
`,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const seen = jsonOut(result);
    expect(seen).toMatchObject({ uid: 65534, gid: 65534, euid: 65534 });
    expect(seen.groups).not.toContain(0);
    // bwrap is the namespace's first process; the program's Node is one of very few.
    expect(seen.pid as number).toBeLessThan(10);
    expect(seen.hostname).toBe("sandbox");
    // The permission model refuses /proc; if it ever allows it, what it shows must be the sandbox's.
    if (String(seen.status).startsWith("ok ")) expect(seen.status).toBe('ok "0000000000000000"');
    if (String(seen.proc).startsWith("ok ")) {
      expect((JSON.parse(String(seen.proc).slice(3)) as string[]).length).toBeLessThan(5);
    }
    // Through the user's links: no capability at all, nobody's uid, no_new_privs, few processes.
    expect(seen["linked status"]).toMatch(/^ok /);
    const status = JSON.parse(String(seen["linked status"]).slice(3)) as Record<string, string>;
    expect(status).toMatchObject({
      CapInh: "0000000000000000",
      CapPrm: "0000000000000000",
      CapEff: "0000000000000000",
      CapBnd: "0000000000000000",
      CapAmb: "0000000000000000",
      NoNewPrivs: "1",
    });
    expect(status.Uid).toMatch(/^65534\s+65534\s+65534\s+65534$/);
    const procs = JSON.parse(String(seen["linked proc"]).slice(3)) as string[];
    expect(procs.length).toBeLessThan(5);
    // The root holds what bwrap mounted: no /home, /root, /work, /etc; /tmp only on the way to the run's folder.
    const root = JSON.parse(String(seen["linked root"]).slice(3)) as string[];
    for (const absent of ["home", "root", "work", "etc", "var", "run"])
      expect(root).not.toContain(absent);
    if (String(seen["linked tmp"]).startsWith("ok ")) {
      const tmp = JSON.parse(String(seen["linked tmp"]).slice(3)) as string[];
      expect(tmp.every((name) => name.startsWith("mcp-codegen-run-"))).toBe(true);
      expect(tmp.length).toBe(1);
    }
    for (const [what, outcome] of Object.entries(seen)) {
      if (!/^(realpath|native realpath|exists|stat) /.test(what)) continue;
      if (what.endsWith(" /tmp")) continue; // the sandbox has a /tmp? either answer is no host path
      expect(outcome, what).toMatch(/^failed (ENOENT|ERR_ACCESS_DENIED|EACCES|ABSENT)$/);
    }
  });
});

describe("what the program's own code tells it of the host", () => {
  it("its bundle and its stack traces name no host folder (the project's, HOME, the package's)", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      `import { readFileSync } from "node:fs";
import { callMcpTool } from "mcp-codegen/runtime";
const bundle = readFileSync(new URL(import.meta.url), "utf8");
const map = /sourceMappingURL=data:application\\/json;base64,(\\S+)/.exec(bundle)?.[1];
const sources = map ? (JSON.parse(Buffer.from(map, "base64").toString()) as { sources: string[] }).sources : [];
let stack = "";
try { await callMcpTool("flaky", "fail", { message: "x" }); } catch (error) { stack = String((error as Error).stack); }
console.log(JSON.stringify({ sources, stack, url: import.meta.url }));
`,
    );
    expect(result.code).toBe(0);
    const seen = jsonOut<{ sources: string[]; stack: string; url: string }>(result);
    const text = JSON.stringify(seen);
    const hostFolders = [project, canaries.home, ROOT].map((folder) => folder.replace(/^\//, ""));
    for (const folder of hostFolders) expect.soft(text, folder).not.toContain(folder);
  });
});

describe("TerminalText keeps colour and removes every other control sequence", () => {
  const cases: [string, string[], string][] = [
    ["colour passes", [`${ESC}[31mred${ESC}[0m`], `${ESC}[31mred${ESC}[0m`],
    [
      "256-colour and truecolour pass",
      [`${ESC}[38;5;200mx${ESC}[38:2::1:2:3my`],
      `${ESC}[38;5;200mx${ESC}[38:2::1:2:3my`,
    ],
    ["OSC 52 (clipboard) ended by BEL", [`a${ESC}]52;c;cm0gLXJmIH4=\u0007b`], "ab"],
    ["OSC 52 ended by ST", [`a${ESC}]52;c;cm0gLXJmIH4=${ESC}\\b`], "ab"],
    ["window title", [`${ESC}]0;pwned${ESC}\\${ESC}]2;pwned\u0007ok`], "ok"],
    ["hyperlink", [`${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`], "click"],
    ["clear screen and home", [`x${ESC}[2J${ESC}[H${ESC}[3Jy`], "xy"],
    ["cursor moves", [`a${ESC}[10A${ESC}[5;5H${ESC}[2K${ESC}7${ESC}8b`], "ab"],
    [
      "private modes (hide cursor, alternate screen, bracketed paste)",
      [`${ESC}[?25l${ESC}[?1049h${ESC}[?2004hz`],
      "z",
    ],
    ["device status query", [`${ESC}[6n${ESC}[c${ESC}[>0cq`], "q"],
    ["an SGR-looking sequence with a private prefix", [`${ESC}[?31mp`], "p"],
    ["an SGR longer than colour ever is", [`${ESC}[${"1;".repeat(100)}31ml`], "l"],
    [
      "DCS, SOS, PM, APC",
      [`${ESC}Pq#0${ESC}\\${ESC}Xs${ESC}\\${ESC}^p${ESC}\\${ESC}_a${ESC}\\k`],
      "k",
    ],
    ["C1 CSI and OSC as characters", ["\u009b2J\u009d52;c;x\u0007v"], "2J52;c;xv"],
    ["two-character escapes (RIS, index)", [`${ESC}c${ESC}D${ESC}Mw`], "w"],
    ["backspace, bell, NUL, DEL and vertical tab", ["a\bb\u0007c\u0000d\u007fe\u000bf"], "abcdef"],
    ["newlines, tabs and carriage returns pass", ["a\nb\tc\r\n"], "a\nb\tc\r\n"],
    ["OSC 52 split across chunks", [`a${ESC}`, "]5", "2;c;cm0=", "\u0007b"], "ab"],
    ["an ST split across chunks", [`a${ESC}]0;t${ESC}`, "\\b"], "ab"],
    ["CSI split across chunks", [`a${ESC}[`, "2", "J", "b"], "ab"],
    ["an OSC never ended swallows the rest", [`a${ESC}]52;c;`, "cm0gLXJm", "IH4=b"], "a"],
    [
      "an ESC inside an OSC does not end it early",
      [`a${ESC}]52;c;x${ESC}[31mstill-osc\u0007b`],
      "ab",
    ],
  ];
  it.each(cases)("%s", (_title, chunks, expected) => {
    const filter = new TerminalText();
    expect(chunks.map((c) => filter.push(c)).join("")).toBe(expected);
  });

  it("a multi-byte character split across byte chunks stays whole", () => {
    const filter = new TerminalText();
    const bytes = Buffer.from("é€😀", "utf8");
    const out = [...bytes].map((b) => filter.push(Uint8Array.of(b))).join("");
    expect(out).toBe("é€😀");
  });

  it("C1 controls encoded in UTF-8 bytes are removed", () => {
    const filter = new TerminalText();
    expect(filter.push(Buffer.from([0x61, 0xc2, 0x9b, 0x32, 0x4a, 0x62]))).toBe("a2Jb");
  });
});

describe("a program's output on a terminal", () => {
  it("keeps colour and loses every other sequence, through the CLI under a pty", async () => {
    const project = hostileProject(canaries);
    writeFileSync(
      path.join(project, PROGRAM),
      `const ESC = "\\u001b";
process.stdout.write(ESC + "]52;c;cm0gLXJmIH4=" + "\\u0007" + ESC + "]0;pwned-title" + "\\u0007" + ESC + "[2J" + ESC + "[H");
process.stdout.write(ESC + "[31mred" + ESC + "[0m\\n");
process.stderr.write(ESC + "]52;c;c3RkZXJy" + ESC + "\\\\" + ESC + "[10A" + "err-text\\n");
`,
    );
    const command = [
      process.execPath,
      path.join(ROOT, "bin/mcp-codegen.js"),
      "run",
      "--no-daemon",
      "--config",
      CONFIG_NAME,
      PROGRAM,
    ]
      .map((a) => `'${a}'`)
      .join(" ");
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], {
        cwd: project,
        env: { ...process.env, HOME: canaries.home, TERM: "xterm" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (t: string) => (out += t));
      child.stderr.setEncoding("utf8").on("data", (t: string) => (out += t));
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code !== 0) reject(new Error(`script exited ${code}:\n${out}`));
        else resolve(out);
      });
    });
    expect(output).toContain(`${ESC}[31mred${ESC}[0m`);
    expect(output).toContain("err-text");
    expect(output).not.toContain(`${ESC}]`);
    expect(output).not.toContain("cm0gLXJmIH4=");
    expect(output).not.toContain("pwned-title");
    expect(output).not.toContain(`${ESC}[2J`);
    expect(output).not.toContain(`${ESC}[H`);
    expect(output).not.toContain(`${ESC}[10A`);
  });
});

describe("errors crossing into the program", () => {
  it("carry no config path, no other server's name, no server stderr, no secret", async () => {
    const stderrMarker = `LEAKY-STDERR-${randomUUID()}`;
    const commandMarker = `MISSING-COMMAND-${randomUUID()}`;
    const argsMarker = `ARGS-${randomUUID()}`;
    const project = hostileProject(canaries, {
      servers: {
        "alpha-flaky": { ...fixture("flaky"), env: { FIXTURE_SECRET: canaries.configSecret } },
        "bravo-crash": { ...fixture("crash"), env: { FIXTURE_TOKEN: canaries.configSecret } },
        "charlie-leaky": {
          command: "node",
          args: ["leaky.mjs"],
          cwd: "servers",
          env: { LEAKY_TOKEN: canaries.configSecret },
        },
        "delta-missing": { command: `/nonexistent/${commandMarker}/server`, args: [] },
        "foxtrot-args": { command: "node", args: [`/nonexistent/${argsMarker}.mjs`] },
      },
      files: {
        "servers/leaky.mjs": `process.stderr.write(${JSON.stringify(`${stderrMarker} token=`)} + process.env.LEAKY_TOKEN + "\\n" + process.cwd() + "\\n", () => process.exit(3));\n`,
      },
    });
    const names = ["alpha-flaky", "bravo-crash", "charlie-leaky", "delta-missing", "foxtrot-args"];
    const result = await runHostile(
      project,
      canaries,
      `import { callMcpTool, listResources, getPrompt, readResource } from "mcp-codegen/runtime";
const calls: [string, () => Promise<unknown>][] = [
  ["bravo-crash", () => callMcpTool("bravo-crash", "x", {})],
  ["charlie-leaky", () => callMcpTool("charlie-leaky", "x", {})],
  ["delta-missing", () => callMcpTool("delta-missing", "x", {})],
  ["foxtrot-args", () => callMcpTool("foxtrot-args", "x", {})],
  ["", () => callMcpTool("echo-unknown", "x", {})],
  ["", () => getPrompt("echo-unknown", "x", {})],
  ["alpha-flaky", () => callMcpTool("alpha-flaky", "no-such-tool", {})],
  ["alpha-flaky", () => callMcpTool("alpha-flaky", "exit", { code: 3, when: "during", stderr: "bye" })],
  ["alpha-flaky", () => readResource("alpha-flaky", "flaky://nothing/here")],
  ["bravo-crash", () => listResources("bravo-crash")],
];
const seen: { server: string; text: string }[] = [];
for (const [server, f] of calls) {
  try {
    await f();
    seen.push({ server, text: "resolved" });
  } catch (error) {
    const e = error as Error;
    // Not the stack: it is made in the program, where it awaited the call, from its own source map.
    const own = Object.fromEntries(Object.getOwnPropertyNames(e).filter((k) => k !== "stack").map((k) => [k, (e as unknown as Record<string, unknown>)[k]]));
    seen.push({ server, text: JSON.stringify({ name: e.name, message: e.message, string: String(e), own, cause: String(e.cause ?? "") }) });
  }
}
console.log(JSON.stringify(seen));
`,
      ["--timeout", "20000"],
    );
    expect(result.code).toBe(0);
    const seen = jsonOut<{ server: string; text: string }[]>(result);
    expect(seen).toHaveLength(10);
    // Soft: every leak shows, not only the first.
    for (const { server, text } of seen) {
      expect.soft(text).not.toBe("resolved");
      for (const [what, needle] of [
        ["the project folder", project],
        ["the config's name", CONFIG_NAME],
        ["HOME", canaries.home],
        ["the configured secret", canaries.configSecret],
        ["a server's stderr", "missing API key"],
        ["a server's stderr", "fixture-crash"],
        ["a server's stderr", stderrMarker],
        ["a server's command", commandMarker],
        ["a server's args", argsMarker],
        ["the package's folder", ROOT],
        ...names.filter((n) => n !== server).map((n) => ["another server's name", n]),
      ] as const) {
        expect.soft(text, `${what} in: ${text}`).not.toContain(needle);
      }
    }
    expectNoCanary(result, canaries, [stderrMarker, commandMarker, argsMarker]);
  });
});
