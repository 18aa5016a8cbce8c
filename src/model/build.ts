/**
 * Snapshot in, model out: filters tools, decides names, sanitises text and lowers schemas.
 * Pure: no disk, no network, no environment.
 */
import * as path from "node:path";
import type { ResolvedToolOutput } from "../config/types.js";
import { closestName } from "../config/issues.js";
import { keepsTool, unmatchedGlobs, type ToolFilter } from "../config/tool-filter.js";
import type { ServerSnapshot, ToolDefinition } from "../introspect/snapshot.js";
import type { Warning } from "../log.js";
import { shortHash } from "./hash.js";
import { toTypeName } from "./identifiers.js";
import { compareCodeUnits } from "../compare.js";
import { buildPrompts, buildResources } from "./extras.js";
import { instructionWarnings } from "./instructions.js";
import { sharedToolNames } from "./shared-names.js";
import { nameServers, nameTools } from "./naming.js";
import { DEFAULT_LIMITS, type SchemaLimits } from "./schema/limits.js";
import { buildTypesDocument, type ConfiguredOutputType } from "./schema/types-document.js";
import { configuredOutputs } from "./configured-output.js";
import { toCommentText, toSummaryLine } from "./text.js";
import type { Model, ServerModel, ToolHashes, ToolModel } from "./types.js";

export interface BuildModelOptions {
  /** Per server name: which tools to keep. */
  readonly filters?: ReadonlyMap<string, ToolFilter>;
  /** Per server name: output types the config gives tools without an `outputSchema`. */
  readonly outputs?: ReadonlyMap<string, Readonly<Record<string, ResolvedToolOutput>>>;
  /** Absolute `<outDir>/servers`: where a configured type's import is relative to. */
  readonly treeDir?: string;
  readonly limits?: SchemaLimits;
}

const MAX_TOOL_DESCRIPTION = 4000;

export function buildModel(
  snapshots: readonly ServerSnapshot[],
  options: BuildModelOptions = {},
): Model {
  const warnings: Warning[] = [];
  const serverNames = nameServers(snapshots.map((s) => s.name));
  const servers = [...snapshots]
    .sort((a, b) => compareCodeUnits(a.name, b.name))
    .map((snapshot) => {
      const { dir, namespace } = serverNames.get(snapshot.name)!;
      const filter = options.filters?.get(snapshot.name) ?? {};
      const outputs = configuredOutputs(
        snapshot,
        options.outputs?.get(snapshot.name),
        options.treeDir === undefined ? undefined : path.join(options.treeDir, dir),
        warnings,
      );
      return buildServer(
        snapshot,
        { dir, namespace, filter, outputs },
        options.limits ?? DEFAULT_LIMITS,
        warnings,
      );
    });
  warnings.push(...sharedToolNames(servers));
  return { servers, warnings };
}

/** What the model decides for a server before its tools: its names, filter and outputs. */
interface ServerSetting {
  readonly dir: string;
  readonly namespace: string;
  readonly filter: ToolFilter;
  readonly outputs: ReadonlyMap<string, ConfiguredOutputType>;
}

function buildServer(
  snapshot: ServerSnapshot,
  { dir, namespace, filter, outputs }: ServerSetting,
  limits: SchemaLimits,
  warnings: Warning[],
): ServerModel {
  for (const skipped of snapshot.skipped) {
    warnings.push({
      server: snapshot.name,
      tool: skipped.name,
      message: `skipped: ${skipped.reason}`,
    });
  }
  const keeps = keepsTool(filter);
  const kept = snapshot.tools.filter((tool) => keeps(tool.name));
  warnings.push(...unmatchedGlobWarnings(snapshot, filter));
  warnings.push(...instructionWarnings(snapshot, kept));
  const tools = nameTools(snapshot.name, kept, warnings).map(({ tool, identifier }) =>
    buildTool(snapshot.name, tool, identifier, limits, warnings, outputs.get(tool.name)),
  );
  const title = snapshot.info.title ? oneLine(snapshot.info.title, 200) : undefined;
  return {
    name: snapshot.name,
    dir,
    namespace,
    info: {
      name: oneLine(snapshot.info.name, 200),
      version: oneLine(snapshot.info.version, 100),
      ...(title ? { title } : {}),
    },
    instructions: toSummaryLine(snapshot.instructions, 300),
    ...(snapshot.protocolVersion ? { protocolVersion: oneLine(snapshot.protocolVersion, 40) } : {}),
    tools,
    resources: buildResources(snapshot, warnings),
    prompts: buildPrompts(snapshot, warnings),
  };
}

/** A glob that matches no tool the server lists keeps or drops nothing: a typo, most likely. */
function unmatchedGlobWarnings(snapshot: ServerSnapshot, filter: ToolFilter): Warning[] {
  const count = snapshot.tools.length;
  if (count === 0) return [];
  const names = snapshot.tools.map((tool) => tool.name);
  return unmatchedGlobs(filter, names).map(({ field, glob }) => ({
    server: snapshot.name,
    field,
    message:
      `the glob ${JSON.stringify(glob)} matches none of the ${count} tools the server lists` +
      (/[*?[{]/.test(glob) ? "" : literalGlobHint(glob, names)),
  }));
}

/**
 * The likely slip behind a glob without wildcards that matches nothing: the stub's name for a
 * tool (`getEnv` for `get-env`), a near spelling, or `get` meant as "the get tools".
 */
function literalGlobHint(glob: string, names: readonly string[]): string {
  const squash = (name: string) => name.toLowerCase().replace(/[-_.\s/]/g, "");
  const meant = names.find((name) => squash(name) === squash(glob)) ?? closestName(glob, names);
  if (meant !== undefined)
    return `; did you mean ${JSON.stringify(meant)}? Globs match the tool's MCP name, as the server spells it, not its stub's name`;
  return `; a glob matches whole names ("${glob}*" those starting so)`;
}

/** Server identity goes into headings and first lines: one line, however the server spelt it. */
function oneLine(text: string, maxLength: number): string {
  return toCommentText(text, maxLength).replace(/\s+/g, " ");
}

function buildTool(
  server: string,
  tool: ToolDefinition,
  identifier: string,
  limits: SchemaLimits,
  warnings: Warning[],
  configured?: ConfiguredOutputType,
): ToolModel {
  const typeName = toTypeName(identifier);
  const warn = (field: string, message: string) =>
    warnings.push({ server, tool: tool.name, field, message });
  const typesSchema = buildTypesDocument(tool, typeName, limits, warn, configured);
  const title = tool.title ?? tool.annotations?.title;
  const description = toCommentText(tool.description, MAX_TOOL_DESCRIPTION);
  return {
    wireName: tool.name,
    identifier,
    typeName,
    ...(title ? { title: toSummaryLine(title, 120) } : {}),
    description,
    summary: toSummaryLine(tool.description) || (title ? toSummaryLine(title) : ""),
    ...(tool.annotations ? { annotations: pickHints(tool.annotations) } : {}),
    typesSchema,
    hasOutput: tool.outputSchema !== undefined || configured !== undefined,
    ...(configured ? { configuredOutput: shortHash(configured) } : {}),
    hashes: hashTool(tool),
  };
}

function pickHints(annotations: NonNullable<ToolDefinition["annotations"]>) {
  const hints: Record<string, boolean> = {};
  for (const key of [
    "readOnlyHint",
    "destructiveHint",
    "idempotentHint",
    "openWorldHint",
  ] as const) {
    const value = annotations[key];
    if (typeof value === "boolean") hints[key] = value;
  }
  return hints;
}

/** Hashes of the definition as the server sent it: what drift detection compares. */
export function hashTool(tool: ToolDefinition): ToolHashes {
  const description = shortHash(tool.description ?? "");
  const inputSchema = shortHash(tool.inputSchema);
  const outputSchema = shortHash(tool.outputSchema ?? null);
  const annotations = shortHash({
    title: tool.title ?? null,
    annotations: tool.annotations ?? null,
  });
  // The whole definition from its parts' hashes: every field counts, each schema is serialised
  // once (hashing runs over every tool on every run, unchanged ones included).
  const definition = shortHash([tool.name, description, inputSchema, outputSchema, annotations]);
  return { definition, description, inputSchema, outputSchema, annotations };
}
