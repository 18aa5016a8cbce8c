/**
 * `mcp-codegen check`: do the live servers still match the committed tree? Lists tools added,
 * removed and changed per server (a changed description counts: it can be a rug pull), and
 * files that a generate run would create, update or delete.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type { Manifest } from "./emit/manifest.js";
import { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
import type { Model } from "./model/types.js";
import { diffWithManifest } from "./manifest-diff.js";
import { stubDiff } from "./stub-diff.js";
import type { PlanEntry, WritePlan } from "./write/index.js";
import type { SkillProblem } from "./skills/typecheck-skills.js";

export interface ServerDrift {
  readonly server: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedTool[];
  /** The protocol revision the manifest recorded and the one negotiated now, when they differ. */
  readonly protocol?: { readonly from: string; readonly to: string };
}

export interface ChangedTool {
  readonly tool: string;
  readonly fields: readonly string[];
  /** The lines of the tool's stub a `generate` run would change (`-` old, `+` new). */
  readonly diff: readonly string[];
}

export interface CheckResult {
  /** Servers whose tools differ from the manifest; empty when none does. */
  readonly drift: readonly ServerDrift[];
  /** Files a `generate` run would touch. */
  readonly stale: readonly PlanEntry[];
  /** Type errors of saved skills against the tree `generate` would write now. */
  readonly skills: readonly SkillProblem[];
  readonly clean: boolean;
  /** Milliseconds per phase of the generator's dry run. */
  readonly timings: Readonly<Record<string, number>>;
}

export async function check(options: Omit<GenerateOptions, "dryRun">): Promise<CheckResult> {
  const result = await generate({ ...options, dryRun: true });
  const drift = await withStubDiffs(
    compareWithManifest(result.model, result.previousManifest),
    result,
  );
  const stale = result.plan.entries.filter((entry) => entry.action !== "unchanged");
  const skills = await skillProblems(options.config, result);
  const clean = drift.length === 0 && stale.length === 0 && skills.length === 0;
  return { drift, stale, skills, clean, timings: result.timings };
}

/**
 * The saved skills, type-checked against the tree this check would have `generate` write, with
 * each stub they call there named by its server and MCP tool name (`echo`, `ping`).
 */
async function skillProblems(
  config: GenerateOptions["config"],
  result: GenerateResult,
): Promise<SkillProblem[]> {
  const { typecheckSkills } = await import("./skills/typecheck-skills.js");
  const deleted = result.plan.entries.filter((e) => e.action === "delete").map((e) => e.path);
  const problems = await typecheckSkills(config, {
    serversDir: result.plan.serversDir,
    contents: result.plan.contents,
    deleted: new Set(deleted),
  });
  const wireNames = new Map<string, string>();
  for (const [name, server] of Object.entries(result.previousManifest?.servers ?? {}))
    for (const [wire, tool] of Object.entries(server.tools))
      wireNames.set(`${server.dir}/${tool.identifier}`, `${name} tool ${JSON.stringify(wire)}`);
  for (const server of result.model.servers)
    for (const tool of server.tools)
      wireNames.set(
        `${server.dir}/${tool.identifier}`,
        `${server.name} tool ${JSON.stringify(tool.wireName)}`,
      );
  return problems.map((problem) => ({
    ...problem,
    tools: problem.tools.map((stub) => wireNames.get(stub) ?? stub),
  }));
}

/** Tool-level differences between what the servers list now and what the manifest recorded. */
export function compareWithManifest(model: Model, manifest: Manifest | undefined): ServerDrift[] {
  const drift: ServerDrift[] = [];
  for (const server of model.servers) {
    const recorded = manifest?.servers[server.name]?.tools ?? {};
    const live = new Map(server.tools.map((tool) => [tool.wireName, tool]));
    const { added, removed, changed } = diffWithManifest(recorded, live, (tool) => tool.hashes);
    const protocol = protocolChange(manifest?.servers[server.name]?.protocolVersion, server);
    if (added.length || removed.length || changed.length || protocol) {
      drift.push({
        server: server.name,
        added,
        removed,
        changed: changed.map(({ tool, fields }) => ({ tool, fields, diff: [] })),
        ...(protocol ? { protocol } : {}),
      });
    }
  }
  return drift;
}

/**
 * A server that now speaks another protocol revision than it did when the tree was generated
 * (it upgraded to 2026-07-28, or fell back): its tools may be the same, its behaviour is not.
 * Nothing to say when either side did not record one.
 */
function protocolChange(
  recorded: string | undefined,
  server: Model["servers"][number],
): ServerDrift["protocol"] {
  const now = server.protocolVersion;
  if (recorded === undefined || now === undefined || recorded === now) return undefined;
  return { from: recorded, to: now };
}

/**
 * Adds to every changed tool the lines of its stub that would change: the old stub is the file
 * the manifest says was generated for it, the new one what the plan would write. Only files the
 * plan itself checked (inside `servers/`, no link leading out) are read.
 */
async function withStubDiffs(
  drift: ServerDrift[],
  result: Pick<GenerateResult, "model" | "previousManifest" | "plan">,
): Promise<ServerDrift[]> {
  const { model, previousManifest, plan } = result;
  return Promise.all(
    drift.map(async (server) => {
      const recorded = previousManifest?.servers[server.server]?.tools ?? {};
      const live = model.servers.find((s) => s.name === server.server);
      const changed = await Promise.all(
        server.changed.map(async (change) => {
          const oldFile = recorded[change.tool]?.file;
          const tool = live?.tools.find((t) => t.wireName === change.tool);
          if (oldFile === undefined || tool === undefined || live === undefined) return change;
          const before = await readPlanned(plan, oldFile);
          const after = plan.contents.get(`${live.dir}/${tool.identifier}.ts`) ?? before;
          if (before === undefined || after === undefined) return change;
          return { ...change, diff: stubDiff(before, after) };
        }),
      );
      return { ...server, changed };
    }),
  );
}

async function readPlanned(plan: WritePlan, file: string): Promise<string | undefined> {
  if (!plan.entries.some((entry) => entry.path === file)) return undefined;
  return readFile(path.join(plan.serversDir, ...file.split("/")), "utf8").catch(() => undefined);
}
