/** Worker-thread entry: renders the tool files it is handed and posts them back. */
import { parentPort, workerData } from "node:worker_threads";
import { renderTools, type ToolJob } from "./render-tools.js";

const jobs = workerData as ToolJob[];
renderTools(jobs).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      error: error instanceof Error ? error.stack : String(error),
    }),
);
