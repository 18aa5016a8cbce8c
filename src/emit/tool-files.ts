/**
 * Renders the tool files that changed and reuses the rest.
 *
 * All in this thread: measured here, worker threads made a thousand tools slower, not faster
 * (compiling and formatting allocate heavily, and a single thread already keeps a second core
 * busy with garbage collection and compilation).
 */
import type { Warning } from "../log.js";
import { renderTools, type ToolJob } from "./render-tools.js";

export type { ToolJob } from "./render-tools.js";

/** A tool file: reused as it is on disk, or its source still to be formatted. */
interface ToolFile {
  readonly text: string;
  readonly format?: Record<string, never>;
}

export async function renderToolFiles(
  jobs: readonly ToolJob[],
  reuse: ReadonlyMap<string, string>,
  warnings: Warning[],
): Promise<{ files: Map<string, ToolFile>; rendered: number; reused: number }> {
  const files = new Map<string, ToolFile>();
  const todo = jobs.filter((job) => {
    const cached = reuse.get(job.key);
    if (cached !== undefined) files.set(job.key, { text: cached });
    return cached === undefined;
  });
  const result = await renderTools(todo);
  // Rendered now: TypeScript for the format phase, which batches files through prettier.
  todo.forEach((job, i) => files.set(job.key, { text: result.sources[i]!, format: {} }));
  warnings.push(...result.warnings);
  return { files, rendered: todo.length, reused: jobs.length - todo.length };
}
