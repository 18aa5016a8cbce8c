/**
 * The one gate through which the bundler and the type-checker read a program's files. The
 * program is an attacker's: whatever its imports name, only regular files whose real path lies
 * inside the allowed roots are read, never the config and never a dotfile of the project, each
 * under a size cap, and opened so that swapping a link between the check and the read does not
 * help. Everything that decides what may be read is here; `open-checked.ts` does the reading.
 */
import { realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { isInside } from "../write/paths.js";
import { openChecked, type CheckedFile } from "./open-checked.js";

// The write phase's containment test, on real or resolved paths here too.
export { isInside };

/** What a program's imports may reach besides its own folder; built from the config. */
export interface ProgramAccess {
  /**
   * The project's folder (the config's). A program below it may import its own folder's
   * files; one at its top or elsewhere (`/tmp`, the home folder) only itself, since its
   * folder there holds what is not its own (the project's files, other people's).
   */
  readonly root: string;
  /** The output folder: its servers/, skills/ and workspace/ may be imported. */
  readonly outDir: string;
  /**
   * The workspace this run has, if not `<outDir>/workspace`: `serve` gives each client its own
   * folder under it, and a program then reaches only that one, never its neighbours'.
   */
  readonly workspace?: string;
  /**
   * False when the program has no folder of its own to read: `serve`'s programs are code
   * resolved from the output folder, whose other clients' workspaces they must not import.
   * Default: its folder is readable when below the project's.
   */
  readonly ownFolder?: boolean;
  /** Files never readable, whatever folder they are in: the config file. */
  readonly denied: readonly string[];
  /** node_modules folders packages may come from (the project's). */
  readonly nodeModules: readonly string[];
  /**
   * Files of the project the config's `outputs` take stub types from: each readable itself (not
   * its folder). Default: none.
   */
  readonly outputTypes?: readonly string[];
}

/** Why a file was not read. `outside` is all a file outside the roots ever gets told. */
export type Refusal = "outside" | "hidden" | "denied" | "not-regular" | "too-large" | "budget";

/** A verdict on one path: a real path that may be read, one that may not, or nothing there. */
export type Probe =
  | { readonly kind: "file" | "directory"; readonly realPath: string }
  | { readonly refused: Refusal }
  | { readonly missing: true };

/** The most one imported file may hold, and all of a bundle's files together. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/**
 * This package's own code (`src/` under vitest or tsx, `dist/` when built: the folder holding
 * `runtime/` and `runner/child/`), which `mcp-codegen/runtime` resolves into.
 */
export const PACKAGE_CODE = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

interface Root {
  /** The folder, as its real path or as it was spelled (the two differ when it is behind a link). */
  readonly dir: string;
  /** Dotfiles and dot-folders below it are refused (not in node_modules: `.pnpm` is normal). */
  readonly hidesDotfiles: boolean;
  /** Holds installed packages rather than the project's own files. */
  readonly packages: boolean;
}

export class FileGate {
  private readonly roots: readonly Root[];
  private readonly denied: ReadonlySet<string>;
  /** The project's node_modules folders (real paths), where bare imports of program files resolve. */
  readonly projectPackages: readonly string[];
  private bytesLeft = MAX_TOTAL_BYTES;

  /**
   * `programDir`: the program file's folder, or where --eval code's imports resolve from;
   * `entry`: the program's file (none for --eval code).
   */
  constructor(programDir: string, access: ProgramAccess, entry?: string) {
    const own = (dir: string) => spellings(dir, { hidesDotfiles: true, packages: false });
    const packages = (dir: string) => spellings(dir, { hidesDotfiles: false, packages: true });
    const ownFolder =
      access.ownFolder !== false && isStrictlyInside(real(access.root), real(programDir));
    this.roots = [
      ...(ownFolder ? [own(programDir)] : entry === undefined ? [] : [own(entry)]),
      own(path.join(access.outDir, "servers")),
      own(path.join(access.outDir, "skills")),
      own(access.workspace ?? path.join(access.outDir, "workspace")),
      own(PACKAGE_CODE),
      ...(access.outputTypes ?? []).map(own),
      ...access.nodeModules.map(packages),
      // The packages this package's own code imports, wherever it is installed (npx, global).
      ...ancestorNodeModules(PACKAGE_CODE).map(packages),
    ].flat();
    this.denied = new Set(access.denied.flatMap((file) => [path.resolve(file), real(file)]));
    this.projectPackages = access.nodeModules.map(real);
  }

  /** Whether a path may be read, by its spelling alone: no file system access at all. */
  spelled(file: string): Refusal | undefined {
    return this.verdict(path.resolve(file));
  }

  /** Whether `realPath` is an installed package's file or this package's (code nobody in the run wrote). */
  isPackageCode(realPath: string): boolean {
    if (isInside(PACKAGE_CODE, realPath)) return true;
    return this.roots.some((root) => root.packages && isInside(root.dir, realPath));
  }

  /**
   * Whether `dir` holds one of the roots: a folder whose existence the roots already tell (the
   * compiler walks up through such folders to reach them).
   */
  holdsRoot(dir: string): boolean {
    const resolved = path.resolve(dir);
    return this.roots.some((root) => isInside(resolved, root.dir));
  }

  /** What is at `file` (links followed), if it may be read: never touches a file it may not read. */
  probe(file: string): Probe {
    const spelled = this.spelled(file);
    if (spelled) return { refused: spelled };
    let realPath: string;
    try {
      realPath = realpathSync.native(file);
    } catch {
      return { missing: true };
    }
    const stat = statSync(realPath, { throwIfNoEntry: false });
    if (stat === undefined) return { missing: true };
    const refused = this.verdict(realPath, stat.isFile() ? stat.nlink : 1);
    if (refused) return { refused };
    if (stat.isDirectory()) return { kind: "directory", realPath };
    if (!stat.isFile()) return { refused: "not-regular" };
    if (stat.size > MAX_FILE_BYTES) return { refused: "too-large" };
    return { kind: "file", realPath };
  }

  /**
   * Reads a file the probe allowed, checking again what was actually opened (a link swapped in
   * since is caught) and counting its bytes against the bundle's total.
   */
  read(file: string): CheckedFile | { readonly refused: Refusal } | { readonly missing: true } {
    const probed = this.probe(file);
    if (!("kind" in probed)) return probed;
    if (probed.kind !== "file") return { refused: "not-regular" };
    const opened = openChecked(probed.realPath, MAX_FILE_BYTES, (realPath, hardLinks) =>
      this.verdict(realPath, hardLinks),
    );
    if (!("bytes" in opened)) return opened;
    if (opened.bytes.length > this.bytesLeft) return { refused: "budget" };
    this.bytesLeft -= opened.bytes.length;
    return opened;
  }

  /**
   * The rules, on a real path. The config is named as such only where it would otherwise be
   * allowed: elsewhere it is just outside, like any file there. A file with more than one hard
   * link is, in the project's own folders, as good as a link to anywhere (the other name may be
   * ~/.ssh/id_rsa); package managers hard-link files into node_modules, so that rule stops there.
   */
  private verdict(realPath: string, hardLinks = 1): Refusal | undefined {
    if (isOtherRunsFolder(realPath)) return "outside";
    let refusal: Refusal = "outside";
    for (const root of this.roots) {
      if (!isInside(root.dir, realPath)) continue;
      const below = path.relative(root.dir, realPath).split(path.sep);
      if (root.hidesDotfiles && below.some((part) => part.startsWith("."))) refusal = "hidden";
      else if (root.hidesDotfiles && hardLinks > 1) refusal = "outside";
      else return this.denied.has(realPath) ? "denied" : undefined;
    }
    return refusal;
  }
}

/**
 * A refusal as the program's author reads it. `what` is the import as the program wrote it
 * (`"../x.ts"`): never the real path found, which would tell whether a host file exists.
 */
export function describeRefusal(what: string, refusal: Refusal): string {
  switch (refusal) {
    case "outside":
      return `${what} is outside what a program may import: its own folder (below the project's), servers/, skills/, workspace/ and the project's packages`;
    case "hidden":
      return `${what} is hidden (a name starting with "."), which a program may not import`;
    case "denied":
      return `${what} is the project's config file, which a program may not import`;
    case "not-regular":
      return `${what} is not a regular file`;
    case "too-large":
      return `${what} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, the most a program may import from one file`;
    case "budget":
      return `${what} would take the program and its imports past ${MAX_TOTAL_BYTES / 1024 / 1024} MiB, the most a program may bundle`;
  }
}

/**
 * The nearest `node_modules` folder at or above `configFileOrOutDir` (a config file or a
 * folder): where the project's packages are. Empty when there is none.
 */
export function projectNodeModules(configFileOrOutDir: string): string[] {
  return ancestorNodeModules(path.resolve(configFileOrOutDir)).slice(0, 1);
}

function ancestorNodeModules(from: string): string[] {
  const found: string[] = [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    // A node_modules folder does not hold another directly; skip to what holds it.
    if (path.basename(dir) !== "node_modules") {
      const candidate = path.join(dir, "node_modules");
      if (isDirectory(candidate)) found.push(candidate);
    }
    if (path.dirname(dir) === dir) return found;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Sandbox folders of runs (`prepare.ts` names them so) and the daemon's private folder. */
const TEMP = real(tmpdir());
function isOtherRunsFolder(realPath: string): boolean {
  if (!isInside(TEMP, realPath)) return false;
  const first = path.relative(TEMP, realPath).split(path.sep)[0] ?? "";
  return first.startsWith("mcp-codegen-run-") || /^mcp-codegen-(\d+|user)$/.test(first);
}

/**
 * A root as its real path and, when a link leads to it, as spelled: an import spelled through
 * the link is then looked at (its real path decides).
 */
function spellings(dir: string, kind: Omit<Root, "dir">): Root[] {
  const spelled = path.resolve(dir);
  const realDir = real(dir);
  return realDir === spelled
    ? [{ dir: realDir, ...kind }]
    : [
        { dir: realDir, ...kind },
        { dir: spelled, ...kind },
      ];
}

function isStrictlyInside(dir: string, file: string): boolean {
  return file !== dir && isInside(dir, file);
}

function real(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}
