/**
 * The generator, phase by phase: introspect (or read a snapshot) → model → emit (types, files)
 * → format → plan → write. Only `introspect` and the write phase touch the outside world.
 */
import * as path from "node:path";
import { configFlagFrom } from "./config/find.js";
import type { ResolvedConfig } from "./config/types.js";
import { emit, renderKey, type EmitOptions, type KeptServer } from "./emit/emit.js";
import { preloadCompiler } from "./emit/schema-types.js";
import { preloadFormatter } from "./format/prettier.js";
import { formatTree, type FormattedTree } from "./format/tree.js";
import type { Manifest } from "./emit/manifest.js";
import { CodegenError, GenerateError } from "./errors.js";
import { introspect } from "./introspect/introspect.js";
import type { CloseLater } from "./introspect/introspect-server.js";
import type { ServerSnapshot, Snapshot } from "./introspect/snapshot.js";
import { serversToList } from "./introspect/start-early.js";
import { silentReporter, type Reporter, type Warning } from "./log.js";
import { keptCount, type ToolFilter } from "./config/tool-filter.js";
import { configWarnings } from "./config/warnings.js";
import { buildModel, type BuildModelOptions } from "./model/build.js";
import type { Model } from "./model/types.js";
import { GENERATOR_VERSION, RENDER_SALT } from "./version.js";
import { warmUpPhases } from "./warm-up.js";
import { applyPlan, ensureAgentFolders, planWrite, type WritePlan } from "./write/index.js";
import {
  keptServers,
  readFormatCache,
  readPreviousManifest,
  readPreviousSearchIndex,
  readReusableFiles,
  withSearchDocuments,
} from "./write/previous.js";

export interface GenerateOptions {
  readonly config: ResolvedConfig;
  /** Generate from this saved snapshot instead of connecting to the servers. */
  readonly snapshot?: Snapshot;
  /** Write the servers that succeeded and keep the old files of those that failed. */
  readonly partial?: boolean;
  /**
   * Regenerate only these servers (`--server`); the others keep their files as they are.
   * Default: every server in the config.
   */
  readonly only?: readonly string[];
  /** Plan only: nothing is written. */
  readonly dryRun?: boolean;
  readonly reporter?: Reporter;
}

export interface GenerateResult {
  readonly plan: WritePlan;
  readonly written: boolean;
  readonly model: Model;
  readonly manifest: Manifest;
  readonly previousManifest: Manifest | undefined;
  readonly snapshots: readonly ServerSnapshot[];
  readonly failures: readonly CodegenError[];
  readonly warnings: readonly Warning[];
  readonly stats: { readonly rendered: number; readonly reused: number };
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Runs the whole pipeline and writes the tree (unless `dryRun`). */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  // Servers exit while the later phases run; all have ended when this returns.
  const closings: Promise<void>[] = [];
  try {
    return await pipeline(options, (closing) => void closings.push(closing));
  } finally {
    await Promise.all(closings);
  }
}

async function pipeline(options: GenerateOptions, closeLater: CloseLater): Promise<GenerateResult> {
  const { config } = options;
  const reporter = options.reporter ?? silentReporter;
  const { timings, timed } = phaseTimer();
  const { snapshots, failures } = await timed("introspect", () =>
    collectSnapshots(options, reporter, closeLater),
  );
  refuseFailuresUnlessPartial(failures, snapshots.length, options.partial);
  const model = await timed("model", () => buildModel(snapshots, modelOptions(config)));
  const previous = await timed("previous", () => readPrevious(config.outDir, model));
  const kept = withSearchDocuments(
    previous.searchIndex,
    keptServers(previous.manifest, notRegenerated(failures, previous.manifest, options)),
  );
  const emitted = await timed("emit", () => emit(model, emitOptions(config, previous, kept)));
  const tree = await timed("format", () => formatTree(emitted, previous.formatCache));
  const plan = await timed("plan", () => planFiles(config.outDir, tree, previous, kept));
  if (!options.dryRun) {
    await timed("write", () => writeTree(plan, config.outDir));
    reportWritten(model, plan, reporter);
  }
  const warnings = [...configWarnings(config), ...model.warnings, ...emitted.warnings];
  for (const warning of warnings) reporter.warn(warning);
  return {
    plan,
    written: !options.dryRun,
    model,
    manifest: tree.manifest,
    previousManifest: previous.manifest,
    snapshots,
    failures,
    warnings,
    stats: emitted.stats,
    timings,
  };
}

/** Milliseconds per phase, and the wrapper that records them. */
function phaseTimer() {
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, run: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      timings[phase] = Math.round(performance.now() - start);
    }
  };
  return { timings, timed };
}

/**
 * The emit phase's libraries take a few hundred milliseconds to load, and its code runs cold at
 * first: load and warm them while this process mostly waits for servers to start and answer.
 * (Unused when every file is reused.)
 */
async function whileWarmingUp<T>(listing: Promise<T>): Promise<T> {
  preloadCompiler();
  preloadFormatter();
  let listed = false;
  void warmUpPhases(() => listed);
  try {
    return await listing;
  } finally {
    listed = true;
  }
}

/** A failed server writes nothing, unless the user asked for `--partial`. */
function refuseFailuresUnlessPartial(
  failures: readonly CodegenError[],
  succeeded: number,
  partial: boolean | undefined,
): void {
  if (failures.length === 0 || partial) return;
  const total = failures.length + succeeded;
  const failed = total === 1 ? "The server" : `${failures.length} of ${total} servers`;
  throw new GenerateError(
    `${failed} failed, so nothing was written. Fix ${failures.length === 1 ? "it" : "them"}, ` +
      "or pass --partial to write the servers that succeeded and keep the old files of the ones that failed:",
    failures,
  );
}

/** What the last run left: its manifest, and the files this run may reuse instead of rendering. */
interface Previous {
  readonly manifest: Manifest | undefined;
  /** Tool files by render key (see `EmitOptions.reuse`). */
  readonly reuse: ReadonlyMap<string, string>;
  /** Formatted files by source hash (see `formatTree` and `Manifest.sources`). */
  readonly formatCache: ReadonlyMap<string, string>;
  /** The search index, unedited: kept as it is when its documents are the same. */
  readonly searchIndex: string | undefined;
  /** Files read on the way, by path: the plan compares with these rather than reading again. */
  readonly readJustNow: Map<string, string>;
}

/** The cache read: the previous manifest, then the files it lists that this model can reuse. */
async function readPrevious(outDir: string, model: Model): Promise<Previous> {
  const readJustNow = new Map<string, string>();
  const manifest = await readPreviousManifest(outDir);
  const keys = new Set(
    model.servers.flatMap((s) => s.tools.map((t) => renderKey(RENDER_SALT, s, t))),
  );
  const [reuse, formatCache, searchIndex] = await Promise.all([
    readReusableFiles(outDir, manifest, keys, readJustNow),
    readFormatCache(outDir, manifest, readJustNow),
    readPreviousSearchIndex(outDir, manifest, readJustNow),
  ]);
  return { manifest, reuse, formatCache, searchIndex, readJustNow };
}

/**
 * The servers whose files this run leaves as they are: those that failed (in a `--partial`
 * run), and with `--server`, every other server the last run generated.
 */
function notRegenerated(
  failures: readonly CodegenError[],
  previousManifest: Manifest | undefined,
  options: GenerateOptions,
): string[] {
  return [
    ...failures.map((f) => (f as { server?: string }).server).filter((s): s is string => !!s),
    ...Object.keys(previousManifest?.servers ?? {}).filter(
      (name) => options.only && !options.only.includes(name),
    ),
  ];
}

/** What emit takes besides the model: the cache, the kept servers, the catalog's run command. */
function emitOptions(
  config: ResolvedConfig,
  previous: Previous,
  kept: readonly KeptServer[],
): EmitOptions {
  const runConfigFlag = configFlagFrom(config.outDir, config.file);
  return {
    generatorVersion: GENERATOR_VERSION,
    renderSalt: RENDER_SALT,
    reuse: previous.reuse,
    ...(previous.searchIndex !== undefined ? { previousSearchIndex: previous.searchIndex } : {}),
    kept,
    ...(runConfigFlag !== undefined ? { runConfigFlag } : {}),
  };
}

/** The plan: the rendered tree against the disk and the last manifest, kept files left alone. */
function planFiles(
  outDir: string,
  tree: FormattedTree,
  previous: Previous,
  kept: readonly KeptServer[],
): Promise<WritePlan> {
  return planWrite({
    outDir,
    files: tree.files,
    previousFiles: previous.manifest ? Object.keys(previous.manifest.files) : [],
    keep: kept.flatMap((k) => Object.keys(k.files)),
    readJustNow: previous.readJustNow,
  });
}

/** Carries the plan out, then makes the agent's folders if they are missing. */
async function writeTree(plan: WritePlan, outDir: string): Promise<void> {
  await applyPlan(plan);
  await ensureAgentFolders(outDir);
}

async function collectSnapshots(
  options: GenerateOptions,
  reporter: Reporter,
  closeLater: CloseLater,
): Promise<{ snapshots: ServerSnapshot[]; failures: CodegenError[] }> {
  if (options.snapshot) {
    // A snapshot may hold more servers than the config names; a config without servers takes all.
    const wanted = new Set(options.only ?? options.config.servers.map((s) => s.name));
    const snapshots = options.snapshot.servers.filter(
      (s) => wanted.size === 0 || wanted.has(s.name),
    );
    const filters = toolFilters(options.config);
    for (const s of snapshots) {
      const kept = keptCount(
        filters.get(s.name) ?? {},
        s.tools.map((tool) => tool.name),
      );
      reporter.serverStatus(s.name, {
        kind: "listed",
        tools: s.tools.length,
        skipped: s.skipped.length,
        ms: 0,
        ...(kept !== undefined ? { kept } : {}),
      });
    }
    return { snapshots, failures: [] };
  }
  return whileWarmingUp(
    introspect(serversToList(options.config, options.only), {
      concurrency: options.config.concurrency,
      maxResultBytes: options.config.runtime.maxResultBytes,
      reporter,
      closeLater,
    }),
  );
}

/** What the model takes from the config: tool filters and configured output types. */
function modelOptions(config: ResolvedConfig): BuildModelOptions {
  return {
    filters: toolFilters(config),
    outputs: new Map(config.servers.map((s) => [s.name, s.outputs ?? {}])),
    treeDir: path.join(config.outDir, "servers"),
  };
}

function toolFilters(config: ResolvedConfig): Map<string, ToolFilter> {
  return new Map(
    config.servers.map((s) => [
      s.name,
      {
        include: s.include,
        exclude: s.exclude,
        policy: {
          allow: s.policy.allow,
          deny: s.policy.deny,
          "approve.tools": s.policy.approveTools,
        },
      },
    ]),
  );
}

/** Per server: how many of its files this run created, updated or deleted. */
function reportWritten(model: Model, plan: WritePlan, reporter: Reporter): void {
  for (const server of model.servers) {
    const entries = plan.entries.filter((e) => e.path.startsWith(`${server.dir}/`));
    const changed = entries.filter((e) => e.action !== "unchanged").length;
    const files = entries.filter((e) => e.action !== "delete").length;
    reporter.serverStatus(server.name, { kind: "written", files, changed });
  }
}
