/**
 * `npm run bench:privacy`: what privacy costs a call whose result is 1 MB. Through
 * `withPrivacy` around a host that answers at once (so only the filter is timed): privacy off
 * (the host comes back unwrapped: no cost by construction, timed to show it), and on, for a
 * 1 MB text with no personal data, and for ~1 MB of structured records dense with it (an
 * address and a phone number a record); then those records echoed by a server without
 * privacy once their 16,000 values have tokens (only the known values are looked for). Medians
 * of ROUNDS calls, each on a fresh token map, in CPU time (user + system: this machine is
 * shared, and wall time measures the others' load).
 */
import { resolveConfig } from "../src/config/index.js";
import type { RequestMessage, WireValue } from "../src/runner/protocol.js";
import { withPrivacy } from "../src/runner/private-host.js";
import type { ToolHost } from "../src/runner/tool-host.js";
import { median } from "./median.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MB = 1024 * 1024;

const prose = "Lorem ipsum dolor sit amet, order 2024-0001 shipped v1.2.3 at 12:30:45. ".repeat(
  Math.ceil(MB / 72),
);
const records = Array.from({ length: 8000 }, (_, i) => ({
  id: i,
  name: `Person ${i}`,
  email: `person${i}@example.com`,
  phone: `+44 20 7946 ${String(i % 10000).padStart(4, "0")}`,
  note: `Customer since 2019, ${i} orders, tier ${i % 5}.`,
}));
const results: Record<string, WireValue> = {
  "1 MB text, no personal data": { kind: "content", content: [{ type: "text", text: prose }] },
  [`${(JSON.stringify(records).length / MB).toFixed(2)} MB of records, 16,000 values`]: {
    kind: "content",
    content: [{ type: "text", text: "see structuredContent" }],
    structuredContent: { records },
  },
};

const configWith = (privacy: boolean) =>
  resolveConfig(
    { servers: { crm: { command: "x", privacy }, plain: { command: "x" } } },
    { root: process.cwd(), cwd: process.cwd(), env: {} },
  );
const request: RequestMessage = { type: "request", id: 1, op: "callTool", args: ["crm", "t", {}] };
const signal = new AbortController().signal;

/** CPU milliseconds this process spent since `start`. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function timeCall(privacy: boolean, value: WireValue): Promise<number> {
  const inner: ToolHost = {
    handle: async () => value,
    close: async () => {},
    config: () => configWith(privacy),
  };
  const host = withPrivacy(inner, configWith(privacy));
  const start = process.cpuUsage();
  await host.handle(request, signal, undefined);
  return cpuMs(start);
}

await timeCall(true, { kind: "value", value: "warm up jane@example.com +44 20 7946 0958" });
for (const [name, value] of Object.entries(results)) {
  for (const privacy of [false, true]) {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) times.push(await timeCall(privacy, value));
    console.log(
      `${name}, privacy ${privacy ? "on " : "off"}: ${median(times).toFixed(2)} ms of CPU`,
    );
  }
}

const echoes: number[] = [];
const dense = Object.values(results)[1]!;
for (let i = 0; i < ROUNDS; i++) {
  const host = withPrivacy(
    { handle: async () => dense, close: async () => {}, config: () => configWith(true) },
    configWith(true),
  );
  await host.handle(request, signal, undefined);
  const start = process.cpuUsage();
  await host.handle({ ...request, args: ["plain", "t", {}] }, signal, undefined);
  echoes.push(cpuMs(start));
}
console.log(
  `the records echoed by a server without privacy: ${median(echoes).toFixed(2)} ms of CPU`,
);
