/**
 * Descriptors the shell hands to `mcp-codegen run` (`40<secret`) would pass to every child, and
 * Node's permission model does not check I/O on descriptors: the CLI entry closes them before
 * anything starts. The program must find none of them, at any number.
 */
import { closeSync, openSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CONFIG_NAME,
  PROGRAM,
  expectNoCanary,
  hostileProject,
  jsonOut,
  makeCanaries,
  readText,
  runCliWithStdio,
} from "./harness.js";

const canaries = makeCanaries();
const project = hostileProject(canaries);
const writable = path.join(canaries.home, "writable.log");
writeFileSync(writable, "");
const readFd = openSync(canaries.sshKeyFile, "r");
const writeFd = openSync(writable, "a");
afterAll(() => {
  closeSync(readFd);
  closeSync(writeFd);
});

const INHERITED_READ = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 40, 255];
const INHERITED_WRITE = 41;

const PROBE = `import * as fs from "node:fs";
const read: Record<number, string> = {};
const wrote: number[] = [];
let read40 = "read";
try {
  fs.readSync(40, Buffer.alloc(64));
} catch (error) {
  read40 = String((error as { code?: string }).code);
}
for (let fd = 0; fd <= 300; fd++) {
  if (fd === 1 || fd === 2 || fd === 3) continue; // its own output, and its channel
  try {
    const buf = Buffer.alloc(4096);
    // pread: a pipe or socket says ESPIPE at once instead of waiting.
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    read[fd] = buf.subarray(0, n).toString("utf8");
  } catch {}
}
// Only where the shell put descriptors and Node keeps none of its own (its event loop's are low).
for (const fd of [40, 41, 255]) {
  try {
    fs.writeSync(fd, "WRITTEN-THROUGH-AN-INHERITED-DESCRIPTOR\\n");
    wrote.push(fd);
  } catch {}
}
let opened = "opened";
try {
  fs.readFileSync("/proc/self/fd/40", "utf8");
} catch (error) {
  opened = String((error as { code?: string }).code);
}
console.log(JSON.stringify({ read40, read, wrote, opened }));
`;

describe("inherited descriptors", () => {
  it("reach neither the program nor anything it can read or write (no daemon)", async () => {
    writeFileSync(path.join(project, PROGRAM), PROBE);
    const stdio: ("ignore" | "pipe" | number)[] = Array.from({ length: 256 }, () => "ignore");
    stdio[1] = "pipe";
    stdio[2] = "pipe";
    for (const fd of INHERITED_READ) stdio[fd] = readFd;
    stdio[INHERITED_WRITE] = writeFd;
    const result = await runCliWithStdio(["run", "--no-daemon", "--config", CONFIG_NAME, PROGRAM], {
      cwd: project,
      env: { HOME: canaries.home, HOSTILE_ENV_SECRET: canaries.envSecret },
      stdio,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const seen = jsonOut<{
      read40: string;
      read: Record<string, string>;
      wrote: number[];
      opened: string;
    }>(result);
    expect(seen.read40).toBe("EBADF");
    expect(Object.values(seen.read).join("")).not.toContain(canaries.sshKey);
    expect(seen.opened).toMatch(/^(ENOENT|ERR_ACCESS_DENIED|EACCES)$/);
    expect(seen.wrote).toEqual([]);
    expect(readText(writable)).toBe("");
    expectNoCanary(result, canaries);
    // The run's own descriptors are untouched: the host file still has its key.
    expect(readText(canaries.sshKeyFile)).toContain(canaries.sshKey);
  });

  it("the config's servers do not get them either", async () => {
    const report = path.join(canaries.home, "server-fd-40.txt");
    const server = project + "/fd-check.mjs";
    writeFileSync(
      server,
      `import * as fs from "node:fs";
let what = "read";
try { fs.readSync(40, Buffer.alloc(64)); } catch (error) { what = error.code; }
fs.writeFileSync(process.argv[2], what);
process.exit(3);
`,
    );
    const other = hostileProject(canaries, {
      servers: { fdcheck: { command: "node", args: [server, report] } },
    });
    writeFileSync(
      path.join(other, PROGRAM),
      `import { callMcpTool } from "mcp-codegen/runtime";
try { await callMcpTool("fdcheck", "x", {}); } catch (error) { console.log("failed", (error as Error).name); }
`,
    );
    const stdio: ("ignore" | "pipe" | number)[] = ["ignore", "pipe", "pipe"];
    stdio[40] = readFd;
    const result = await runCliWithStdio(["run", "--no-daemon", "--config", CONFIG_NAME, PROGRAM], {
      cwd: other,
      env: { HOME: canaries.home },
      stdio,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^failed \w+\n$/);
    expect(readText(report)).toBe("EBADF");
    expectNoCanary(result, canaries);
  });
});
