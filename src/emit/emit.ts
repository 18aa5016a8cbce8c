/**
 * Model in, files out (in memory): every tool file, the per-server barrels, summaries and
 * catalogs, the root catalog, the root barrel and the manifest, formatted. No disk: files an earlier run rendered
 * are handed in by the caller (`reuse`), already checked against the manifest.
 */
import { compareCodeUnits } from "../compare.js";
import type { Warning } from "../log.js";
import { shortHash } from "../model/hash.js";
import type { Model, ServerModel, ToolModel } from "../model/types.js";
import { formatSource } from "../format/prettier.js";
import type { RenderedFile } from "../write/types.js";
import { renderCatalog } from "./catalog.js";
import {
  LAYOUT_VERSION,
  MANIFEST_PATH,
  renderManifest,
  type Manifest,
  type ManifestServer,
  type ManifestTool,
} from "./manifest.js";
import { outlineServer, type ServerOutline } from "./outline.js";
import { renderRootIndex } from "./root-index.js";
import { renderServerCatalog } from "./server-catalog.js";
import { renderServerIndex } from "./server-index.js";
import { fallbackToolTypes } from "./schema-types.js";
import { renderSummary } from "./summary.js";
import { renderToolFiles } from "./tool-files.js";

export interface KeptServer {
  readonly outline: ServerOutline;
  readonly manifest: ManifestServer;
  /** Its files as the previous manifest lists them (path → hash). */
  readonly files: Readonly<Record<string, string>>;
  /** Its entries of the previous manifest's `sources` (path → source hash). */
  readonly sources?: Readonly<Record<string, string>>;
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
  /**
   * Formatted files from an earlier run by the hash of their unformatted source (see
   * `Manifest.sources`): a barrel or summary that did not change is not formatted again.
   */
  readonly formatCache?: ReadonlyMap<string, string>;
  /** Servers that failed in a `--partial` run: their old files stay and stay listed. */
  readonly kept?: readonly KeptServer[];
  /**
   * What `mcp-codegen run` needs, from the folder holding `servers/`, to find the config: the
   * catalog's command to run programs then says it (see `configFlagFrom`). Default: nothing.
   */
  readonly runConfigFlag?: string;
}

export interface EmitResult {
  readonly files: readonly RenderedFile[];
  readonly manifest: Manifest;
  readonly warnings: readonly Warning[];
  readonly stats: { readonly rendered: number; readonly reused: number };
}

/**
 * The key a tool file is cached under: everything it is rendered from. The model derives a
 * tool's types and text from its definition alone, with code the salt (the render
 * version) covers, so the definition's hash stands in for the lowered schemas.
 */
export function renderKey(salt: string, server: ServerModel, tool: ToolModel): string {
  const { identifier, fileBase, typeName, hashes } = tool;
  return shortHash([
    salt,
    LAYOUT_VERSION,
    server.name,
    identifier,
    fileBase,
    typeName,
    hashes.definition,
  ]);
}

export async function emit(model: Model, options: EmitOptions): Promise<EmitResult> {
  const salt = options.renderSalt ?? options.generatorVersion;
  const warnings: Warning[] = [];
  const files: RenderedFile[] = [];
  // Entries, not assignment: a tool or server named `__proto__` must stay a plain key.
  const servers: Array<[string, ManifestServer]> = [];
  const fileHashes: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const add = (path: string, contents: string) => {
    files.push({ path, contents });
    fileHashes[path] = shortHash(contents);
  };
  const addFormatted = async (path: string, source: string) => {
    const key = shortHash([salt, source]);
    sources[path] = key;
    add(path, options.formatCache?.get(key) ?? (await formatSource(source, "typescript")));
  };

  const jobs = model.servers.flatMap((server) =>
    server.tools.map((tool) => ({
      server,
      tool,
      key: renderKey(salt, server, tool),
    })),
  );
  const rendered = await renderToolFiles(jobs, options.reuse ?? new Map(), warnings);

  for (const server of model.servers) {
    const tools: Array<[string, ManifestTool]> = [];
    const loose = new Set<string>();
    for (const tool of server.tools) {
      const path = `${server.dir}/${tool.fileBase}.ts`;
      const key = renderKey(salt, server, tool);
      const contents = rendered.files.get(key)!;
      add(path, contents);
      // A schema the compiler rejected left loose types in the file: the summary says only
      // their names, as what it reads from the schema would not be the file's types.
      if (contents.includes(fallbackToolTypes(tool.typeName, tool.hasOutput))) {
        loose.add(tool.identifier);
      }
      tools.push([
        tool.wireName,
        {
          identifier: tool.identifier,
          file: path,
          summary: tool.summary,
          hasOutput: tool.hasOutput,
          renderKey: key,
          hashes: tool.hashes,
        },
      ]);
    }
    await addFormatted(`${server.dir}/index.ts`, renderServerIndex(server));
    const summary = renderSummary(server, loose);
    for (const part of summary) add(`${server.dir}/${part.file}`, part.contents);
    for (const page of renderServerCatalog(outlineServer(server), summary)) {
      add(page.path, page.contents);
    }
    const { dir, namespace, info, instructions, protocolVersion } = server;
    servers.push([
      server.name,
      {
        dir,
        namespace,
        info,
        instructions,
        ...(protocolVersion !== undefined ? { protocolVersion } : {}),
        tools: Object.fromEntries(tools),
      },
    ]);
  }

  const kept = options.kept ?? [];
  for (const server of kept) {
    servers.push([server.outline.name, server.manifest]);
    Object.assign(fileHashes, server.files);
    Object.assign(sources, server.sources ?? {});
  }
  const outlines = [...model.servers.map(outlineServer), ...kept.map((k) => k.outline)].sort(
    (a, b) => compareCodeUnits(a.name, b.name),
  );
  await addFormatted("index.ts", renderRootIndex(outlines));
  // The catalog is written in its final form: prettier's markdown pass costs a second on a
  // thousand tools and would only re-escape server text (a test holds it to prettier's output).
  add("README.md", renderCatalog(outlines, options.runConfigFlag));

  const manifest: Manifest = {
    generator: { name: "mcp-codegen", version: options.generatorVersion, layout: LAYOUT_VERSION },
    servers: sortKeys(Object.fromEntries(servers)),
    files: sortKeys(fileHashes),
    sources: sortKeys(sources),
  };
  files.push({ path: MANIFEST_PATH, contents: renderManifest(manifest) });
  files.sort((a, b) => compareCodeUnits(a.path, b.path));
  return {
    files,
    manifest,
    warnings,
    stats: { rendered: rendered.rendered, reused: rendered.reused },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareCodeUnits(a, b)));
}
