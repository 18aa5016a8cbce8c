/**
 * `npm run bench:serve`: `mcp-codegen serve` seen from its clients (`npm run build` first).
 *
 * Targets (issue 11):
 * - `execute_code` of a one-line program on a warm server: median at most 60 ms end to end
 *   from the client (SDK client over stdio, one call after another);
 * - load: 1,000 `execute_code` requests from 100 concurrent HTTP clients: none lost, none
 *   failed except by the documented "busy, retry" answer, memory bounded (the peak resident
 *   memory of serve's whole process tree is reported), with throughput and p50/p99 latency.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { median } from "./median.js";
import { treeRssKb } from "./tree-rss.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "mcp-codegen.js");
const SEQUENTIAL = Number(process.env.BENCH_RUNS ?? 30);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const ONE_LINE = 'console.log("hello");';
/** The pause before a paced call: enough for the sandbox booted behind the last run. */
const PAUSE_MS = 300;

const dir = mkdtempSync(path.join(tmpdir(), "mcp-codegen-bench-serve-"));
const server = { command: process.execPath, args: [path.join(root, "fixtures/servers/flaky.mjs")] };
writeFileSync(path.join(dir, "mcp.json"), JSON.stringify({ mcpServers: { bench: server } }));

interface Answer {
  readonly ms: number;
  readonly kind: "ok" | "busy" | "failed";
  readonly text: string;
}

async function executeOnce(client: Client, code: string): Promise<Answer> {
  const started = performance.now();
  try {
    const result = await client.callTool({ name: "execute_code", arguments: { code } });
    const text = (result.content as { text?: string }[]).map((c) => c.text ?? "").join("\n");
    const kind = !result.isError ? "ok" : text.startsWith("busy, retry") ? "busy" : "failed";
    return { ms: performance.now() - started, kind, text };
  } catch (error) {
    return { ms: performance.now() - started, kind: "failed", text: String(error) };
  }
}

/**
 * Medians of `SEQUENTIAL` one-line programs over stdio, after three to warm up: paced (a pause
 * between calls, as a model's turn gives, far longer in fact) and back to back (each call then
 * waits for the sandbox booting behind the previous one).
 */
async function sequentialMs(): Promise<{ paced: number; backToBack: number }> {
  const client = new Client({ name: "bench", version: "1.0.0" });
  client.setVersionNegotiation({ mode: "auto" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [bin, "serve", "--config", "mcp.json"],
      cwd: dir,
      stderr: "ignore",
    }),
  );
  try {
    for (let i = 0; i < 3; i++) await executeOnce(client, ONE_LINE);
    const paced: number[] = [];
    const backToBack: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      paced.push(checked(await executeOnce(client, ONE_LINE)));
      backToBack.push(checked(await executeOnce(client, ONE_LINE)));
    }
    return { paced: median(paced), backToBack: median(backToBack) };
  } finally {
    await client.close();
  }
}

function checked(answer: Answer): number {
  if (answer.kind !== "ok" || answer.text !== "hello\n") {
    throw new Error(`execute_code answered ${answer.kind}: ${answer.text}`);
  }
  return answer.ms;
}

interface Load {
  readonly answers: readonly Answer[];
  /** "busy, retry" answers, each retried. */
  readonly busyAnswers: number;
  readonly seconds: number;
  readonly peakMb: number;
  readonly idleMb: number;
}

/**
 * `REQUESTS` one-line programs from `CLIENTS` HTTP clients at once, each sending its next when
 * the last was answered, and retrying one answered "busy, retry".
 */
async function load(): Promise<Load> {
  const serve = spawn(
    process.execPath,
    [bin, "serve", "--config", "mcp.json", "--http", "127.0.0.1:0"],
    {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let log = "";
  serve.stderr.setEncoding("utf8").on("data", (text: string) => (log += text));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 30_000);
      serve.stderr.on("data", () => {
        const found = / on (http:\/\/\S+)/.exec(log)?.[1];
        if (found && log.includes('server "bench": connected')) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const client = new Client({ name: `load-${i}`, version: "1.0.0" });
        client.setVersionNegotiation({ mode: "auto" });
        await client.connect(new StreamableHTTPClientTransport(new URL(url)));
        return client;
      }),
    );
    const idleMb = treeRssKb(serve.pid!) / 1024;
    let peakKb = 0;
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(serve.pid!))), 100);
    const answers: Answer[] = [];
    let next = 0;
    const started = performance.now();
    let busyAnswers = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < REQUESTS) {
          next++;
          // A busy answer is retried after a pause that doubles (to 2 s, jittered), as a client
          // told "busy, retry" would: the request's
          // latency runs from its first try to the answer that ran it (or failed).
          const first = performance.now();
          let answer = await executeOnce(client, ONE_LINE);
          for (let pause = 100; answer.kind === "busy"; pause = Math.min(pause * 2, 2000)) {
            busyAnswers++;
            await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
            answer = await executeOnce(client, ONE_LINE);
          }
          answers.push({ ...answer, ms: performance.now() - first });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await Promise.all(clients.map((client) => client.close()));
    return { answers, busyAnswers, seconds, peakMb: peakKb / 1024, idleMb };
  } finally {
    serve.kill("SIGTERM");
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

try {
  const sequential = await sequentialMs();
  const loaded = await load();
  const ok = loaded.answers.filter((a) => a.kind === "ok");
  const failed = loaded.answers.filter((a) => a.kind === "failed");
  const lost = REQUESTS - loaded.answers.length;
  const all = loaded.answers.map((a) => a.ms);
  console.log(`node ${process.version}`);
  console.log("| measurement | value |");
  console.log("| --- | ---: |");
  console.log(
    `| \`execute_code\` of a one-line program, stdio, warm (median of ${SEQUENTIAL}) | ${sequential.paced.toFixed(0)} ms |`,
  );
  console.log(`| the same, back to back | ${sequential.backToBack.toFixed(0)} ms |`);
  console.log(
    `| load: ${REQUESTS} requests from ${CLIENTS} HTTP clients | ${ok.length} ran, ${failed.length} failed, ${lost} lost; ${loaded.busyAnswers} busy answers retried |`,
  );
  console.log(
    `| throughput (programs run) | ${(ok.length / loaded.seconds).toFixed(1)} /s over ${loaded.seconds.toFixed(1)} s |`,
  );
  console.log(
    `| latency, first try to answer | p50 ${percentile(all, 50).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms |`,
  );
  console.log(
    `| serve's process tree, resident | ${loaded.idleMb.toFixed(0)} MB idle, ${loaded.peakMb.toFixed(0)} MB peak |`,
  );
  for (const f of failed.slice(0, 3)) console.log(`failed: ${f.text.slice(0, 300)}`);
  const met = sequential.paced <= 60;
  const clean = failed.length === 0 && lost === 0;
  console.log(
    `targets: one-line program ≤ 60 ms ${met ? "met" : "MISSED"}; none lost or failed but busy ${clean ? "met" : "MISSED"}`,
  );
  if (!met || !clean) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
