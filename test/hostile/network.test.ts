/**
 * A program has no network: not the host's loopback (IPv4, IPv6, UDP), not a Unix socket file
 * of the host (in the project or in /tmp), not an abstract socket, not the daemon's socket,
 * and no DNS. Every listener here counts what reaches it; the count must stay at zero.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { readdirSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectNoCanary,
  hostileProject,
  jsonOut,
  makeCanaries,
  runHostile,
  startDaemon,
  startListeners,
  type Listeners,
  type TestDaemon,
} from "./harness.js";

const canaries = makeCanaries();
const project = hostileProject(canaries);
let listeners: Listeners;
let udp: UdpSocket;
let udpPort = 0;
let udpHits = 0;
let daemon: TestDaemon;
let daemonSockets: string[] = [];

beforeAll(async () => {
  listeners = await startListeners(project);
  udp = createSocket("udp4");
  udp.on("message", () => udpHits++);
  await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
  udpPort = udp.address().port;
  daemon = await startDaemon(project, canaries);
  const uid = process.getuid?.() ?? "user";
  const dir = path.join(tmpdir(), `mcp-codegen-${uid}`);
  daemonSockets = readdirSync(dir)
    .filter((name) => name.endsWith(".sock"))
    .map((name) => path.join(dir, name));
});
afterAll(async () => {
  await daemon?.stop();
  await listeners?.close();
  udp?.close();
});

/** Addresses of this machine other than loopback (a listener on 0.0.0.0 would answer there). */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && a.family === "IPv4")
    .map((a) => a!.address);
}

function probe(): string {
  const q = JSON.stringify;
  const { port, port6, unixInProject, unixInTmp, abstractName } = listeners;
  return `import * as net from "node:net";
import * as dgram from "node:dgram";
import * as dns from "node:dns/promises";
const seen: Record<string, string> = {};
const within = <T,>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "TIMEOUT" })), 1500))]);
const attempt = async (what: string, f: () => Promise<unknown>) => {
  try {
    const value = await within(f());
    seen[what] = "ok " + String(value).slice(0, 100);
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    seen[what] = "failed " + String(e.code ?? e.cause?.code ?? (error as Error).message);
  }
};
const connect = (options: net.NetConnectOpts) =>
  new Promise<string>((resolve, reject) => {
    const socket = net.connect(options, () => { socket.destroy(); resolve("connected"); });
    socket.on("error", reject);
  });
const tries: [string, () => Promise<unknown>][] = [
  ["fetch 127.0.0.1", () => fetch("http://127.0.0.1:${port}/").then((r) => r.text())],
  ["fetch localhost", () => fetch("http://localhost:${port}/").then((r) => r.text())],
  ["tcp 127.0.0.1", () => connect({ host: "127.0.0.1", port: ${port} })],
  ["tcp 127.0.0.2", () => connect({ host: "127.0.0.2", port: ${port} })],
  ["tcp 0.0.0.0", () => connect({ host: "0.0.0.0", port: ${port} })],
  ["tcp ::ffff:127.0.0.1", () => connect({ host: "::ffff:127.0.0.1", port: ${port} })],
  ${
    port6 === undefined
      ? ""
      : `["tcp ::1", () => connect({ host: "::1", port: ${port6} })],
  ["fetch [::1]", () => fetch("http://[::1]:${port6}/").then((r) => r.text())],`
  }
  ${externalAddresses()
    .map((a) => `["tcp ${a}", () => connect({ host: ${q(a)}, port: ${port} })],`)
    .join("\n  ")}
  ["unix in the project", () => connect({ path: ${q(unixInProject)} })],
  ["unix in /tmp", () => connect({ path: ${q(unixInTmp)} })],
  ["abstract", () => connect({ path: ${q(`\0${abstractName}`)} })],
  ${daemonSockets.map((s, i) => `["daemon socket ${i}", () => connect({ path: ${q(s)} })],`).join("\n  ")}
  ["dns lookup", () => dns.lookup("example.com").then((r) => r.address)],
  ["dns resolve", () => dns.resolve4("example.com").then((r) => r.join())],
  ["dns lookup localhost", () => dns.lookup("localhost").then((r) => r.address)],
  ["udp 127.0.0.1", () => new Promise((resolve, reject) => {
    const s = dgram.createSocket("udp4");
    s.on("error", reject);
    s.send("ping", ${udpPort}, "127.0.0.1", (error) => { s.close(); error ? reject(error) : resolve("sent"); });
  })],
];
for (const [what, f] of tries) await attempt(what, f);
console.log(JSON.stringify(seen));
`;
}

function expectUnreachable(result: Awaited<ReturnType<typeof runHostile>>): void {
  expect(result.code).toBe(0);
  const seen = jsonOut<Record<string, string>>(result);
  expect(Object.keys(seen).length).toBeGreaterThanOrEqual(14);
  for (const [what, outcome] of Object.entries(seen)) {
    // A UDP datagram may be "sent" into a namespace of its own; what counts is that none arrived.
    if (what.startsWith("udp") || what === "dns lookup localhost") continue;
    expect(outcome, what).toMatch(/^failed /);
  }
  expect(daemonSockets.length).toBeGreaterThan(0);
  expectNoCanary(result, canaries);
}

describe("the network", () => {
  it("is unreachable in every form (no daemon)", async () => {
    const before = listeners.hits();
    const udpBefore = udpHits;
    const result = await runHostile(project, canaries, probe());
    expectUnreachable(result);
    expect(listeners.hits()).toBe(before);
    expect(udpHits).toBe(udpBefore);
  });

  it("is unreachable in every form (through the daemon)", async () => {
    const before = listeners.hits();
    const udpBefore = udpHits;
    const result = await runHostile(project, canaries, probe(), [], { daemon: true });
    expectUnreachable(result);
    expect(listeners.hits()).toBe(before);
    expect(udpHits).toBe(udpBefore);
    expect(daemon.alive()).toBe(true);
  });

  it("an uncaught fetch says plainly that the sandbox has no network", async () => {
    const before = listeners.hits();
    const result = await runHostile(
      project,
      canaries,
      `await fetch("http://127.0.0.1:${listeners.port}/");\n`,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the sandbox has no network");
    expect(listeners.hits()).toBe(before);
  });
});
