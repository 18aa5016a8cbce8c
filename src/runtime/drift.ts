/**
 * The drift guard: before the first tool call on a connection, the tools the server lists now
 * are compared with the hashes in `<outDir>/servers/manifest.json`, the record of what the stubs
 * were generated from (by `diffWithManifest`, the comparison `mcp-codegen check` makes too). A
 * tool whose definition changed since (its description included: that is how a "rug pull"
 * looks) no longer does what its stub's comment says.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { compareCodeUnits } from "../compare.js";
import { keepsTool } from "../config/tool-filter.js";
import type { ResolvedServer } from "../config/types.js";
import { redactText } from "../connect/redact-text.js";
import { MANIFEST_PATH, parseManifest, type Manifest } from "../emit/manifest.js";
import { redactSnapshot } from "../introspect/redact.js";
import { diffWithManifest } from "../manifest-diff.js";
import type { ToolDefinition } from "../introspect/snapshot.js";
import { describeDrift, DriftError, type ToolDrift } from "./errors.js";
import { warnOnce } from "./warnings.js";

/** What was found where the manifest should be. */
interface ManifestRead {
  readonly file: string;
  /** Undefined when there is no manifest (stubs never generated) or it could not be read. */
  readonly manifest: Manifest | undefined;
  /** Why an existing file could not be used. */
  readonly problem?: string;
}

// Read once per process: every connection to every server compares against the same file.
const manifests = new Map<string, Promise<ManifestRead>>();

function readManifest(outDir: string): Promise<ManifestRead> {
  const file = path.join(outDir, "servers", MANIFEST_PATH);
  let read = manifests.get(file);
  if (!read) {
    read = readFile(file, "utf8").then(
      (text) => {
        const manifest = parseManifest(text);
        return manifest
          ? { file, manifest }
          : { file, manifest, problem: "it is not valid JSON in the shape mcp-codegen writes" };
      },
      (error: NodeJS.ErrnoException) =>
        error.code === "ENOENT" || error.code === "ENOTDIR"
          ? { file, manifest: undefined }
          : { file, manifest: undefined, problem: error.message },
    );
    manifests.set(file, read);
  }
  return read;
}

/** A difference found, with the manifest it was found against. */
export interface DriftReport {
  readonly drift: ToolDrift;
  readonly manifest: string;
}

/**
 * Compares `tools` (as listed on a connection to `server`) with the manifest under `outDir`.
 * Undefined when they match, when there is no manifest, or when the manifest does not know the
 * server (its stubs were never generated: nothing to drift from). An unreadable manifest is
 * warned about once and not compared with.
 *
 * Only what the generator would have kept counts: the tools the config's include/exclude
 * filter keeps, with the config's secrets redacted as introspection does, so that a server
 * echoing a secret does not look drifted. Names in the report are redacted too: they are
 * printed, and a name is never rewritten before comparing.
 */
export async function findDrift(
  server: ResolvedServer,
  tools: readonly ToolDefinition[],
  outDir: string,
): Promise<DriftReport | undefined> {
  const { file, manifest, problem } = await readManifest(outDir);
  if (problem !== undefined) {
    warnOnce(
      `manifest ${file}`,
      `${file} could not be read (${problem}), so tool calls are not checked for drift. ` +
        "Run `npx mcp-codegen generate` to rewrite it.",
    );
  }
  const recorded =
    manifest && Object.hasOwn(manifest.servers, server.name)
      ? manifest.servers[server.name]?.tools
      : undefined;
  if (!recorded) return undefined;

  // Loaded only here: hashing is the generator's, and most programs never get this far.
  const { hashTool } = await import("../model/build.js");
  // Redacted, then filtered: the order introspection and the model apply them in.
  const { snapshot } = redactSnapshot(
    { name: server.name, info: { name: "", version: "" }, tools, skipped: [] },
    server.secrets,
  );
  const keeps = keepsTool(server);
  const live = new Map(
    snapshot.tools.filter((t) => keeps(t.name)).map((tool) => [tool.name, tool]),
  );
  const { added, removed, changed } = diffWithManifest(recorded, live, hashTool);
  if (added.length + removed.length + changed.length === 0) return undefined;
  const shown = (names: readonly string[]) =>
    names.map((name) => redactText(name, server.secrets).text).sort(compareCodeUnits);
  return {
    drift: {
      added: shown(added),
      removed: shown(removed),
      changed: shown(changed.map((change) => change.tool)),
    },
    manifest: file,
  };
}

/**
 * Acts on drift found on a connection, before a call: `onDrift: "error"` refuses the call with
 * a DriftError; `"warn"` warns once per server and process, and the call goes on.
 */
export function guardDrift(server: string, onDrift: "warn" | "error", report: DriftReport): void {
  if (onDrift === "error") throw new DriftError(server, report.drift, report.manifest);
  warnOnce(
    `drift ${server}`,
    `server "${server}" no longer matches the stubs generated from it (${describeDrift(report.drift)}; ` +
      `compared with ${report.manifest}). Run \`npx mcp-codegen generate\` to update the stubs, ` +
      "and read what changed before relying on them.",
  );
}
