/**
 * Tool files from start to finish but formatting: compile every tool's types, prove in one
 * batch that they are declarations only, and assemble each file. Pure data in and out.
 */
import type { Warning } from "../log.js";
import type { ServerModel, ToolModel } from "../model/types.js";
import { typesDocumentNames } from "../model/schema/types-document.js";
import type { Declaration } from "./declarations.js";
import {
  assertTypesOnly,
  compileTypes,
  fallbackToolTypes,
  joinDeclarations,
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
  /** One file's unformatted source per job, in the order of the jobs. */
  readonly sources: string[];
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
    return joinDeclarations(fallbackToolTypes(job.tool.typeName, job.tool.hasOutput));
  };
  const compiled = await compileInBatches(jobs);
  const types = jobs.map((job, i) => {
    const result = compiled[i]!;
    if (result instanceof Error) return fallBack(job, firstLine(result.message));
    if (!declaresInputAndOutput(job.tool, result)) {
      return fallBack(job, "the compiled types lack the tool's Input or Output");
    }
    return joinDeclarations(result);
  });
  const safe = await assertTypesOnly(types);
  const sources = jobs.map((job, i) => {
    const declarations = safe[i]
      ? types[i]!
      : fallBack(job, "the compiled types were not declarations only");
    return renderToolFile(job.server, job.tool, declarations);
  });
  return { sources, warnings };
}

async function compileInBatches(
  jobs: readonly ToolJob[],
): Promise<Array<readonly Declaration[] | Error>> {
  const compiled: Array<readonly Declaration[] | Error> = [];
  for (let start = 0; start < jobs.length; start += COMPILE_BATCH) {
    const batch = jobs.slice(start, start + COMPILE_BATCH);
    compiled.push(...(await compileTypes(batch.map((job) => job.tool))));
  }
  return compiled;
}

/** The function's signature names `<T>Input` (and `<T>Output`): both must be declared. */
function declaresInputAndOutput(tool: ToolModel, declarations: readonly Declaration[]): boolean {
  const names = typesDocumentNames(tool.typeName);
  const declared = new Set(declarations.map((d) => d.name));
  return declared.has(names.input) && (!tool.hasOutput || declared.has(names.output));
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
