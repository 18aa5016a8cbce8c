/**
 * The operating system's half of the boundary: the command line that starts a program's Node
 * inside bubblewrap (`bwrap`, what Flatpak uses), with Node's permission model on top.
 *
 * Inside, the program's world is a mount namespace holding only its own folder (bootstrap and
 * bundle, read-only), its staged `workspace/` (read-write), the Node binary and the libraries
 * it links, a `/proc` of its own PID namespace and a minimal `/dev`. No network (a namespace
 * of its own, abstract Unix sockets included), no host `/tmp`, no socket file of the host, an
 * unprivileged uid with no capabilities, `no_new_privs` (bwrap always sets it), a session of
 * its own (no TIOCSTI into the user's terminal), and it dies with the runner.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { privateFileKey, privateTempDir } from "../private-temp.js";

/** How a program can be sandboxed here, or why it cannot. */
export type OsSandbox =
  | { readonly available: true; readonly bwrap: string }
  | { readonly available: false; readonly reason: string };

let probed: OsSandbox | undefined;

/** Whether bubblewrap is there; looked up once per process (no process is started for it). */
export function osSandbox(): OsSandbox {
  probed ??= findSandbox();
  return probed;
}

function findSandbox(): OsSandbox {
  if (process.platform !== "linux") {
    return {
      available: false,
      reason: `the sandbox needs Linux namespaces through bubblewrap, and this is ${process.platform}`,
    };
  }
  const bwrap = findProgram("bwrap");
  if (!bwrap) {
    return {
      available: false,
      reason: "bubblewrap (`bwrap`) is not installed (Debian, Ubuntu: apt-get install bubblewrap)",
    };
  }
  return { available: true, bwrap };
}

/** The one line `run` prints when it cannot sandbox a program, and refuses to run it. */
export function refusal(reason: string): string {
  return `mcp-codegen run: cannot run the program in a sandbox: ${reason}. Nothing was run; --unsafe runs it without any boundary, with your privileges.`;
}

/** `name` on the PATH (the usual folders when there is none). */
function findProgram(name: string): string | undefined {
  const dirs = (process.env.PATH ?? "/usr/bin:/bin").split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The uid and gid the program runs as inside its user namespace: `nobody`. */
const NOBODY = "65534";

/**
 * bwrap's arguments for a program whose folder is `dir` (real path; `dir/workspace` is the
 * staged workspace), up to and including `--`: the Node command line follows. `meminfo`: a
 * file to stand for the sandbox's /proc/meminfo (heap-cap.ts).
 */
export function bwrapArgs(dir: string, meminfo?: string): string[] {
  const args = [
    "--unshare-all",
    "--unshare-user",
    "--uid",
    NOBODY,
    "--gid",
    NOBODY,
    "--cap-drop",
    "ALL",
    "--die-with-parent",
    "--new-session",
    "--hostname",
    "sandbox",
    "--proc",
    "/proc",
    ...(meminfo === undefined ? [] : ["--ro-bind", meminfo, "/proc/meminfo"]),
    "--dev",
    "/dev",
  ];
  // At the paths Node and its loader look for them (bwrap follows links in the source).
  for (const file of nodeFiles()) args.push("--ro-bind", file, file);
  args.push(
    "--ro-bind",
    dir,
    dir,
    "--bind",
    path.join(dir, "workspace"),
    path.join(dir, "workspace"),
    "--remount-ro",
    "/",
    "--chdir",
    dir,
    "--",
  );
  return args;
}

let files: readonly string[] | undefined;

/**
 * The Node binary and the shared libraries it loads (its dynamic loader included), at the
 * paths the loader looks for them: what must exist for Node to start, and nothing more.
 */
function nodeFiles(): readonly string[] {
  files ??= [process.execPath, ...sharedLibraries(process.execPath)];
  return files;
}

/**
 * The libraries `ldd` lists for `binary` (a static binary needs none). Asking `ldd` costs
 * ~15 ms, a tenth of a run: the answer is kept in this user's private folder, keyed by the
 * binary's identity (path, inode, size, modification time).
 */
function sharedLibraries(binary: string): string[] {
  const stat = statSync(binary);
  const dir = privateTempDir();
  const cache =
    dir === undefined
      ? undefined
      : path.join(
          dir,
          `node-libraries-${privateFileKey(`${binary}:${stat.ino}:${stat.size}:${stat.mtimeMs}`)}.json`,
        );
  if (cache !== undefined) {
    try {
      const kept: unknown = JSON.parse(readFileSync(cache, "utf8"));
      if (Array.isArray(kept) && kept.every((file) => typeof file === "string")) return kept;
    } catch {
      // not there yet, or unreadable: ask ldd
    }
  }
  const found = askLdd(binary);
  if (cache !== undefined) {
    try {
      const temporary = `${cache}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(found), { mode: 0o600 });
      renameSync(temporary, cache);
    } catch {
      // only a cache
    }
  }
  return found;
}

function askLdd(binary: string): string[] {
  const ldd = spawnSync("ldd", [binary], { encoding: "utf8" });
  if (ldd.status !== 0 || typeof ldd.stdout !== "string") return fallbackLibraryFolders();
  const found = new Set<string>();
  for (const line of ldd.stdout.split("\n")) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match && existsSync(match[1]!)) found.add(match[1]!);
  }
  return [...found].sort();
}

/** Without `ldd`, the usual library folders, read-only. */
function fallbackLibraryFolders(): string[] {
  return ["/lib", "/lib64", "/usr/lib", "/usr/lib64"].filter((dir) => existsSync(dir));
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
