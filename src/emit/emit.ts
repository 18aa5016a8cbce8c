/**
 * Model in, files out (in memory): every tool file, the per-server barrels, summaries and
 * catalogs, the root catalog, the root barrel, and the manifest's servers. TypeScript that
 * prettier should lay out is left to the format phase (`src/format/tree.ts`), which also seals
 * the manifest. No disk: files an earlier run rendered are handed in by the caller (`reuse`),
 * already checked against the manifest.
 */
import { compareCodeUnits, sortKeys } from "../compare.js";
import type { Warning } from "../log.js";
import { shortHash } from "../model/hash.js";
import type { Model, ServerModel, ToolModel } from "../model/types.js";
import { renderCatalog } from "./catalog.js";
import {
  LAYOUT_VERSION,
  type Manifest,
  type ManifestServer,
  type ManifestTool,
} from "./manifest.js";
import { outlineServer, type ServerOutline } from "./outline.js";
import { renderRootIndex } from "./root-index.js";
import { extrasParagraphs, renderServerCatalog } from "./server-catalog.js";
import {
  PROMPT_FILE,
  renderPromptFile,
  renderResourceFile,
  RESOURCE_FILE,
} from "./extras-files.js";
import { renderServerIndex } from "./server-index.js";
import { fallbackToolTypes, joinDeclarations } from "./schema-types.js";
import { renderSummary } from "./summary.js";
import { renderToolFiles } from "./tool-files.js";
import { documentsOfOutline, documentsOfServer, type SearchDocument } from "../search/documents.js";
import { renderSearchIndex, SEARCH_INDEX_PATH } from "../search/index-file.js";

export interface KeptServer {
  readonly outline: ServerOutline;
  readonly manifest: ManifestServer;
  /** Its files as the previous manifest lists them (path → hash). */
  readonly files: Readonly<Record<string, string>>;
  /** Its entries of the previous manifest's `sources` (path → source hash). */
  readonly sources?: Readonly<Record<string, string>>;
  /** Its tools' documents in the previous search index, when that could be read. */
  readonly searchDocuments?: readonly SearchDocument[];
}

export interface EmitOptions {
  readonly generatorVersion: string;
  /**
   * What cache keys are salted with: the render version (see `RENDER_SALT`), so that files
   * rendered by a generator that wrote other output are never reused. Default: `generatorVersion`.
   */
  readonly renderSalt?: string;
  /** Tool files from an earlier run whose contents match the manifest, by render key. */
  readonly reuse?: ReadonlyMap<string, string>;
  /** The last run's search index, unedited: kept as it is when it holds the same documents. */
  readonly previousSearchIndex?: string;
  /** Servers that failed in a `--partial` run: their old files stay and stay listed. */
  readonly kept?: readonly KeptServer[];
  /**
   * What `mcp-codegen run` needs, from the folder holding `servers/`, to find the config: the
   * catalog's command to run programs then says it (see `configFlagFrom`). Default: nothing.
   */
  readonly runConfigFlag?: string;
}

/** A file of the tree as emit leaves it: final text, or TypeScript for the format phase. */
export interface EmittedFile {
  /** Posix path relative to `<outDir>/servers`. */
  readonly path: string;
  readonly text: string;
  /**
   * Present when `text` is TypeScript source that prettier lays out. `cacheKey`: the key the
   * formatted file is remembered under across runs (`Manifest.sources`), for files formatted
   * as a whole; tool files are reused by their render key instead.
   */
  readonly format?: { readonly cacheKey?: string };
}

export interface EmitResult {
  /** Every file but the manifest, which lists their final hashes (see `formatTree`). */
  readonly files: readonly EmittedFile[];
  readonly manifest: Omit<Manifest, "files" | "sources">;
  /** What the manifest keeps listing for servers this run left alone (`--partial`, `--server`). */
  readonly kept: {
    readonly files: Readonly<Record<string, string>>;
    readonly sources: Readonly<Record<string, string>>;
  };
  readonly warnings: readonly Warning[];
  readonly stats: { readonly rendered: number; readonly reused: number };
}

/**
 * The key a tool file is cached under: everything it is rendered from. The model derives a
 * tool's types and text from its definition alone, with code the salt (the render
 * version) covers, so the definition's hash stands in for the lowered schemas.
 */
export function renderKey(salt: string, server: ServerModel, tool: ToolModel): string {
  const { identifier, typeName, hashes } = tool;
  return shortHash([
    salt,
    LAYOUT_VERSION,
    server.name,
    identifier,
    // Where the file's base name was: it always was the identifier, and keys must stay as they were.
    identifier,
    typeName,
    hashes.definition,
    // Only when there is one, so that the keys of every other tool stay as they were.
    ...(tool.configuredOutput !== undefined ? [tool.configuredOutput] : []),
  ]);
}

export async function emit(model: Model, options: EmitOptions): Promise<EmitResult> {
  const salt = options.renderSalt ?? options.generatorVersion;
  const warnings: Warning[] = [];
  const out = new TreeFiles(salt);
  const jobs = model.servers.flatMap((server) =>
    server.tools.map((tool) => ({ server, tool, key: renderKey(salt, server, tool) })),
  );
  const rendered = await renderToolFiles(jobs, options.reuse ?? new Map(), warnings);
  // Entries, not assignment: a tool or server named `__proto__` must stay a plain key.
  const keys = new Map(jobs.map((job) => [job.tool, job.key]));
  const servers: Array<[string, ManifestServer]> = model.servers.map((server) => [
    server.name,
    emitServer(server, (tool) => keys.get(tool)!, rendered.files, out),
  ]);
  const kept = options.kept ?? [];
  for (const server of kept) servers.push([server.outline.name, server.manifest]);
  emitRoot([...model.servers.map(outlineServer), ...kept.map((k) => k.outline)], out, options);
  const documents = searchDocuments(model, kept);
  const index = renderSearchIndex(documents, options.previousSearchIndex);
  out.add({ path: SEARCH_INDEX_PATH, text: index });
  return {
    files: out.files,
    manifest: {
      generator: { name: "mcp-codegen", version: options.generatorVersion, layout: LAYOUT_VERSION },
      servers: sortKeys(Object.fromEntries(servers)),
    },
    kept: {
      files: Object.fromEntries(kept.flatMap((server) => Object.entries(server.files))),
      sources: Object.fromEntries(kept.flatMap((server) => Object.entries(server.sources ?? {}))),
    },
    warnings,
    stats: { rendered: rendered.rendered, reused: rendered.reused },
  };
}

/** The files emit collects; TypeScript barrels are remembered by their source's hash. */
class TreeFiles {
  readonly files: EmittedFile[] = [];
  constructor(private readonly salt: string) {}

  add(file: EmittedFile): void {
    this.files.push(file);
  }

  /** TypeScript formatted as a whole, cached across runs under the hash of its source. */
  addTypeScript(path: string, source: string): void {
    this.files.push({ path, text: source, format: { cacheKey: shortHash([this.salt, source]) } });
  }
}

/** One server's files (tools, barrel, resources and prompts, summary, catalog); its manifest entry. */
function emitServer(
  server: ServerModel,
  keyOf: (tool: ToolModel) => string,
  toolFiles: ReadonlyMap<string, { readonly text: string; readonly format?: object }>,
  out: TreeFiles,
): ManifestServer {
  const tools: Array<[string, ManifestTool]> = [];
  const loose = new Set<string>();
  for (const tool of server.tools) {
    const path = `${server.dir}/${tool.identifier}.ts`;
    const key = keyOf(tool);
    const file = toolFiles.get(key)!;
    out.add({ path, ...file });
    // A schema the compiler rejected left loose types in the file: the summary says only
    // their names, as what it reads from the schema would not be the file's types.
    if (file.text.includes(joinDeclarations(fallbackToolTypes(tool.typeName, tool.hasOutput)))) {
      loose.add(tool.identifier);
    }
    const { identifier, summary, hasOutput, hashes } = tool;
    tools.push([
      tool.wireName,
      { identifier, file: path, summary, hasOutput, renderKey: key, hashes },
    ]);
  }
  out.addTypeScript(`${server.dir}/index.ts`, renderServerIndex(server));
  for (const [file, source] of extrasFiles(server)) {
    out.addTypeScript(`${server.dir}/${file}`, source);
  }
  const summary = renderSummary(server, loose);
  for (const part of summary) out.add({ path: `${server.dir}/${part.file}`, text: part.contents });
  const catalog = renderServerCatalog(outlineServer(server), summary, extrasParagraphs(server));
  for (const page of catalog) out.add({ path: page.path, text: page.contents });
  const { dir, namespace, info, instructions, protocolVersion } = server;
  return {
    dir,
    namespace,
    info,
    instructions,
    ...(protocolVersion !== undefined ? { protocolVersion } : {}),
    tools: Object.fromEntries(tools),
    ...extrasHashes(server),
  };
}

/** The tree-wide files: the root barrel and the root catalog, over every server listed. */
function emitRoot(outlines: ServerOutline[], out: TreeFiles, options: EmitOptions): void {
  outlines.sort((a, b) => compareCodeUnits(a.name, b.name));
  out.addTypeScript("index.ts", renderRootIndex(outlines));
  // The catalog is written in its final form: prettier's markdown pass costs a second on a
  // thousand tools and would only re-escape server text (a test holds it to prettier's output).
  out.add({ path: "README.md", text: renderCatalog(outlines, options.runConfigFlag) });
}

/**
 * Every tool's search document, servers in name order: those generated now from the model,
 * kept ones from the previous index (or, when it is lost, from what the manifest remembers).
 */
function searchDocuments(model: Model, kept: readonly KeptServer[]): SearchDocument[] {
  const servers: Array<[string, readonly SearchDocument[]]> = [
    ...model.servers.map((server): [string, SearchDocument[]] => [
      server.name,
      documentsOfServer(server),
    ]),
    ...kept.map((server): [string, readonly SearchDocument[]] => [
      server.outline.name,
      server.searchDocuments ?? documentsOfOutline(server.outline),
    ]),
  ];
  servers.sort(([a], [b]) => compareCodeUnits(a, b));
  return servers.flatMap(([, documents]) => documents);
}

/** `resources.ts` and `prompts.ts`, those the server has. */
function extrasFiles(server: ServerModel): Array<[string, string]> {
  const files: Array<[string, string | undefined]> = [
    [RESOURCE_FILE, renderResourceFile(server)],
    [PROMPT_FILE, renderPromptFile(server)],
  ];
  return files.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/**
 * The hashes `check` compares: resources by URI (or URI template), prompts by name. Absent when
 * the server has none, so that the manifests of servers without them stay as they were.
 */
function extrasHashes(server: ServerModel): Pick<ManifestServer, "resources" | "prompts"> {
  const resources = server.resources.map((r) => [r.uri ?? r.uriTemplate!, r.hash] as const);
  const prompts = server.prompts.map((p) => [p.wireName, p.hash] as const);
  return {
    ...(resources.length > 0 ? { resources: sortKeys(Object.fromEntries(resources)) } : {}),
    ...(prompts.length > 0 ? { prompts: sortKeys(Object.fromEntries(prompts)) } : {}),
  };
}
