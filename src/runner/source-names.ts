/**
 * The names the bundle's source map gives its files, which the program can read (its own
 * bundle, its stack traces): the names the agent knows (`tasks/task.ts` from its working folder,
 * `servers/…`, `skills/…`, `workspace/…`, `mcp-codegen/…`, `node_modules/…`), never a host
 * folder such as the project's, HOME or where this package is installed.
 */
import { realpathSync } from "node:fs";
import * as path from "node:path";
import { isInside, PACKAGE_CODE } from "./file-gate.js";

/** Where the names come from: each folder and the name it stands for, most specific first. */
export type SourceFolders = readonly (readonly [folder: string, name: string])[];

/**
 * The folders of a run's bundle: the output folder's, this package, the project's packages, the
 * user's working folder (as compile errors name files), the program's folder.
 */
export function sourceFolders(run: {
  outDir: string;
  nodeModules: readonly string[];
  cwd: string;
  programDir: string;
}): SourceFolders {
  return [
    ...spellings(path.join(run.outDir, "servers"), "servers"),
    ...spellings(path.join(run.outDir, "skills"), "skills"),
    ...spellings(path.join(run.outDir, "workspace"), "workspace"),
    // Before the working folder: this package's code is `mcp-codegen/…` wherever it is installed
    // (also when the working folder holds it, as in its own repository).
    ...["src", "dist"].flatMap((part) =>
      spellings(path.join(path.dirname(PACKAGE_CODE), part), `mcp-codegen/${part}`),
    ),
    ...run.nodeModules.flatMap((dir) => spellings(dir, "node_modules")),
    ...spellings(run.cwd, ""),
    ...spellings(run.programDir, ""),
  ];
}

const INLINE_MAP = /(\/\/# sourceMappingURL=data:application\/json;base64,)([A-Za-z0-9+/=]+)\s*$/;

/**
 * `bundle` with its inline source map's sources renamed; esbuild wrote them relative to
 * `outfile`. A source in none of the folders keeps only its file name.
 */
export function withSourceNames(bundle: string, outfile: string, folders: SourceFolders): string {
  const found = INLINE_MAP.exec(bundle);
  if (!found) return bundle;
  const map = JSON.parse(Buffer.from(found[2]!, "base64").toString("utf8")) as {
    sources?: string[];
  };
  const dir = path.dirname(outfile);
  map.sources = (map.sources ?? []).map((source) => {
    // Not a file (the --eval program's namespace): its name as it is.
    if (/^[a-z][a-z\d+.-]+:/i.test(source)) return source.slice(source.indexOf(":") + 1);
    const file = path.resolve(dir, source);
    for (const [folder, name] of folders) {
      if (isInside(folder, file))
        return path.posix.join(name, ...path.relative(folder, file).split(path.sep));
    }
    return path.basename(file);
  });
  const encoded = Buffer.from(JSON.stringify(map)).toString("base64");
  return `${bundle.slice(0, found.index)}${found[1]}${encoded}\n`;
}

/** `dir` as spelled and as its real path, each standing for `name`. */
function spellings(dir: string, name: string): SourceFolders {
  let realDir = dir;
  try {
    realDir = realpathSync.native(dir);
  } catch {
    // Not there: nothing in the bundle comes from it.
  }
  return realDir === dir
    ? [[dir, name]]
    : [
        [realDir, name],
        [dir, name],
      ];
}
