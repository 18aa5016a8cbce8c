/**
 * Renders the tool files that changed and reuses the rest: compile every tool's types, prove in
 * one batch that they are declarations only, then assemble and format each file.
 */
import type { Warning } from "../log.js";
import type { ServerModel, ToolModel } from "../model/types.js";
import { typesDocumentNames } from "../model/schema/types-document.js";
import { formatSource } from "../format/prettier.js";
import {
  assertTypesOnly,
  compileToolTypes,
  declares,
  fallbackToolTypes,
  removeContainer,
  UnsafeTypesError,
} from "./schema-types.js";
import { renderToolFile } from "./tool-file.js";

export interface ToolJob {
  readonly server: ServerModel;
  readonly tool: ToolModel;
  readonly key: string;
}

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
  const fallBack = (job: ToolJob, reason: string) => {
    // A bad schema affects only its own tool: it gets loose types and a warning.
    warnings.push({
      server: job.server.name,
      tool: job.tool.wireName,
      message: `types fell back to records of unknown: ${reason}`,
    });
    return fallbackToolTypes(job.tool.typeName, job.tool.hasOutput);
  };

  const types: string[] = [];
  for (const job of todo) {
    try {
      types.push(await compileToolTypes(job.tool.typesSchema, job.tool.typeName));
    } catch (error) {
      types.push(fallBack(job, error instanceof Error ? firstLine(error.message) : String(error)));
    }
  }
  const safe = await assertTypesOnly(types);
  for (const [i, job] of todo.entries()) {
    const declarations = safe[i]
      ? types[i]!
      : fallBack(job, "the compiled types were not declarations only");
    files.set(job.key, await formatToolFile(job, declarations, (reason) => fallBack(job, reason)));
  }
  return { files, rendered: todo.length, reused: jobs.length - todo.length };
}

async function formatToolFile(
  job: ToolJob,
  declarations: string,
  fallBack: (reason: string) => string,
): Promise<string> {
  const { server, tool } = job;
  const names = typesDocumentNames(tool.typeName);
  const format = async (decls: string) =>
    removeContainer(
      await formatSource(renderToolFile(server, tool, decls), "typescript"),
      tool.typeName,
    );
  try {
    const source = await format(declarations);
    const complete =
      declares(source, names.input) && (!tool.hasOutput || declares(source, names.output));
    if (complete) return source;
  } catch (error) {
    if (!(error instanceof UnsafeTypesError)) throw error;
  }
  return format(fallBack(`the compiled types lack ${names.input} or ${names.output}`));
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
