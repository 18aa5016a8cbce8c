/**
 * Renders the tool files that changed and reuses the rest. Compiling and formatting cost a few
 * milliseconds a tool, so a large batch is spread over worker threads, one per core.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Warning } from "../log.js";
import { renderTools, type RenderedTools, type ToolJob } from "./render-tools.js";

export type { ToolJob } from "./render-tools.js";

/** Below this many files a worker's start-up (loading the compiler and prettier) costs more than it saves. */
const WORKER_THRESHOLD = 150;
const MAX_WORKERS = 4;

export async function renderToolFiles(
  jobs: readonly ToolJob[],
  reuse: ReadonlyMap<string, string>,
  warnings: Warning[],
): Promise<{ files: Map<string, string>; rendered: number; reused: number }> {
  const files = new Map<string, string>();
  const todo = jobs.filter((job) => {
    const cached = reuse.get(job.key);
    if (cached !== undefined) files.set(job.key, cached);
    return cached === undefined;
  });
  const result = await renderSpread(todo);
  todo.forEach((job, i) => files.set(job.key, result.contents[i]!));
  warnings.push(...result.warnings);
  return { files, rendered: todo.length, reused: jobs.length - todo.length };
}

async function renderSpread(jobs: readonly ToolJob[]): Promise<RenderedTools> {
  const workerFile = fileURLToPath(new URL("./render-tools-worker.js", import.meta.url));
  const count = Math.min(
    availableParallelism(),
    MAX_WORKERS,
    Math.floor(jobs.length / (WORKER_THRESHOLD / 2)),
  );
  // Under a TypeScript loader (tests) there is no compiled worker file: render in this thread.
  if (count < 2 || jobs.length < WORKER_THRESHOLD || !existsSync(workerFile))
    return renderTools(jobs);

  // Round-robin slices balance large and small tools; results are put back in job order.
  const slices = Array.from({ length: count }, (_, w) => jobs.filter((_, i) => i % count === w));
  const results = await Promise.all(slices.map((slice) => runWorker(workerFile, slice)));
  const contents: string[] = new Array<string>(jobs.length);
  results.forEach((result, w) => result.contents.forEach((c, k) => (contents[k * count + w] = c)));
  // Warnings in job order, whatever worker found them: output must not depend on scheduling.
  const order = new Map(jobs.map((job, i) => [job.tool.wireName + "\u0000" + job.server.name, i]));
  const warnings = results
    .flatMap((r) => r.warnings)
    .sort(
      (a, b) =>
        (order.get(`${a.tool}\u0000${a.server}`) ?? 0) -
        (order.get(`${b.tool}\u0000${b.server}`) ?? 0),
    );
  return { contents, warnings };
}

function runWorker(file: string, jobs: ToolJob[]): Promise<RenderedTools> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: jobs });
    worker.once("message", (message: { ok: boolean; result?: RenderedTools; error?: string }) => {
      void worker.terminate();
      if (message.ok && message.result) resolve(message.result);
      else
        reject(
          new Error(`rendering tool files failed in a worker: ${message.error ?? "no result"}`),
        );
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`a rendering worker exited with code ${code}`));
    });
  });
}
