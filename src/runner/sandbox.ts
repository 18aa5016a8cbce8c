/**
 * The command line that starts a sandboxed program: Node's permission model for files,
 * processes, workers and addons, and (on Linux) network and process namespaces of its own,
 * since the permission model does not cover the network or signals.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

/** How the program is kept off the network, or why it is not. */
export type NetworkIsolation =
  | { readonly isolated: true; readonly prefix: readonly string[] }
  | { readonly isolated: false; readonly reason: string };

let probed: NetworkIsolation | undefined;

/**
 * `unshare` with new network and PID namespaces: no interface but a downed loopback, and no
 * process outside is visible or can be signalled (Node's permission model allows
 * `process.kill`). As root this needs nothing; otherwise an unprivileged user namespace (`-r`).
 * Probed once per process (a few ms).
 */
export function networkIsolation(): NetworkIsolation {
  probed ??= probeUnshare();
  return probed;
}

function probeUnshare(): NetworkIsolation {
  if (process.platform !== "linux") {
    return {
      isolated: false,
      reason: `network namespaces exist only on Linux (this is ${process.platform})`,
    };
  }
  const unshare = findProgram("unshare");
  if (!unshare) {
    return {
      isolated: false,
      reason: "`unshare` was not found (Debian: apt-get install util-linux)",
    };
  }
  const base = ["--net", "--pid", "--fork", "--kill-child"];
  let failure = "";
  for (const extra of [[], ["--map-root-user"]]) {
    const args = [...extra, ...base];
    const probe = spawnSync(unshare, [...args, "true"], { stdio: ["ignore", "ignore", "pipe"] });
    if (probe.status === 0) return { isolated: true, prefix: [unshare, ...args] };
    failure ||= probe.stderr?.toString().trim() || probe.error?.message || `exit ${probe.status}`;
  }
  return {
    isolated: false,
    reason: `\`unshare --net\` is not permitted here (${failure}); run as root or enable unprivileged user namespaces`,
  };
}

function findProgram(name: string): string | undefined {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface FileAccess {
  /** Folders the program may read (everything below them). */
  readonly readFolders: readonly string[];
  /** Folders the program may write (everything below them). */
  readonly writeFolders: readonly string[];
}

/**
 * Node's permission flags for `access`: one flag a path (a comma-separated list is no longer
 * accepted), a folder granted with a trailing `/*` ("everything below"). The model is
 * `--experimental-permission` before Node 22 and `--permission` since.
 */
export function permissionFlags(access: FileAccess, nodeMajor = nodeMajorVersion()): string[] {
  const below = (folder: string) => `${folder.replace(/[/\\]+$/, "")}${path.sep}*`;
  return [
    nodeMajor < 22 ? "--experimental-permission" : "--permission",
    ...access.readFolders.map((folder) => `--allow-fs-read=${below(folder)}`),
    ...access.writeFolders.map((folder) => `--allow-fs-write=${below(folder)}`),
  ];
}

function nodeMajorVersion(): number {
  return Number(process.versions.node.split(".")[0]);
}

/**
 * The program's environment: only the variables the config's `run.env` names, taken from the
 * runner's environment. Nothing else (tokens, keys, the servers' settings) reaches it.
 */
export function programEnv(
  allowed: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of allowed) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
