/**
 * Tool files from start to finish: compile every tool's types, prove in one batch that they are
 * declarations only, assemble each file and format them in batches. Pure data in and out.
 */
import type { Warning } from "../log.js";
import type { ServerModel, ToolModel } from "../model/types.js";
import { typesDocumentNames } from "../model/schema/types-document.js";
import { formatSource, formatSources } from "../format/prettier.js";
import {
  assertTypesOnly,
  compileTypes,
  declares,
  fallbackToolTypes,
  spaceDeclarations,
} from "./schema-types.js";
import { renderToolFile } from "./tool-file.js";

/**
 * Tools per compiler call: the compiler's fixed cost per call is shared, while a batch stays
 * small enough that splitting its output and retrying a rejected one stay cheap.
 */
const COMPILE_BATCH = 20;

export interface ToolJob {
  readonly server: ServerModel;
  readonly tool: ToolModel;
  readonly key: string;
}

export interface RenderedTools {
  /** One file's contents per job, in the order of the jobs. */
  readonly contents: string[];
  readonly warnings: Warning[];
}

export async function renderTools(jobs: readonly ToolJob[]): Promise<RenderedTools> {
  const warnings: Warning[] = [];
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
  for (let start = 0; start < jobs.length; start += COMPILE_BATCH) {
    const batch = jobs.slice(start, start + COMPILE_BATCH);
    const compiled = await compileTypes(batch.map((job) => job.tool));
    batch.forEach((job, i) => {
      const result = compiled[i]!;
      types.push(typeof result === "string" ? result : fallBack(job, firstLine(result.message)));
    });
  }
  const safe = await assertTypesOnly(types);
  const declarations = jobs.map((job, i) =>
    safe[i] ? types[i]! : fallBack(job, "the compiled types were not declarations only"),
  );
  const formatted = await formatSources(
    jobs.map((job, i) => renderToolFile(job.server, job.tool, declarations[i]!)),
  );
  const contents: string[] = [];
  for (const [i, job] of jobs.entries()) {
    contents.push(
      finish(job, formatted[i]!) ??
        (await formatFallback(
          job,
          fallBack(job, "the compiled types lack the tool's Input or Output"),
        )),
    );
  }
  return { contents, warnings };
}

/** The formatted file, spaced, or undefined when the tool's Input or Output type is missing. */
function finish(job: ToolJob, formatted: string): string | undefined {
  const names = typesDocumentNames(job.tool.typeName);
  const source = spaceDeclarations(formatted);
  const complete =
    declares(source, names.input) && (!job.tool.hasOutput || declares(source, names.output));
  return complete ? source : undefined;
}

async function formatFallback(job: ToolJob, declarations: string): Promise<string> {
  const formatted = await formatSource(
    renderToolFile(job.server, job.tool, declarations),
    "typescript",
  );
  return spaceDeclarations(formatted);
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
