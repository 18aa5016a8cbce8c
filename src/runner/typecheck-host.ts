/**
 * The compiler host of `--typecheck`: every file the TypeScript compiler looks at (an import,
 * a `/// <reference path>`, a package.json while resolving) goes through the program's file
 * gate, as for the bundler; a refused file is, to the compiler, a file that is not there. Only
 * TypeScript's own lib folder and @types are read directly, and their parses kept.
 */
import * as path from "node:path";
import type TS from "typescript";
import { FileGate, isInside, type ProgramAccess } from "./file-gate.js";

export interface GatedHostOptions {
  readonly options: TS.CompilerOptions;
  readonly access: ProgramAccess;
  /** The program's folder: the program file's, or --eval code's `resolveDir`. */
  readonly programDir: string;
  /** The program's own file; with `code`, a file that exists only in memory. */
  readonly entry: string;
  readonly code?: string;
  readonly cwd: string;
  /** Folders trusted as installed by the user: TypeScript's lib, the @types in use. */
  readonly trusted: readonly string[];
}

/**
 * Parsed declaration files of libraries (TypeScript's lib, @types/node, the SDK), kept across
 * checks in this worker: they do not change while it lives, and parsing them is most of a
 * check's cost. A cached file is still asked about at the gate before it is used.
 */
const libraryFiles = new Map<string, TS.SourceFile>();

export function gatedCompilerHost(ts: typeof TS, host: GatedHostOptions): TS.CompilerHost {
  const gate = new FileGate(
    host.programDir,
    host.access,
    host.code === undefined ? host.entry : undefined,
  );
  const compiler = ts.createCompilerHost(host.options, true);
  const isEntry = (file: string) => host.code !== undefined && path.resolve(file) === host.entry;
  const isTrusted = (file: string) => host.trusted.some((dir) => isInside(dir, path.resolve(file)));
  const isFile = (file: string) => {
    const probed = gate.probe(file);
    return "kind" in probed && probed.kind === "file";
  };
  const readFile = (file: string): string | undefined => {
    if (isEntry(file)) return host.code;
    if (isTrusted(file)) return ts.sys.readFile(file);
    const read = gate.read(file);
    return "bytes" in read ? read.bytes.toString("utf8") : undefined;
  };
  const directoryExists = (dir: string): boolean => {
    if (isTrusted(dir)) return ts.sys.directoryExists(dir);
    const probed = gate.probe(dir);
    return ("kind" in probed && probed.kind === "directory") || gate.holdsRoot(dir);
  };
  return {
    ...compiler,
    getCurrentDirectory: () => host.cwd,
    fileExists: (file) =>
      isEntry(file) || (isTrusted(file) ? ts.sys.fileExists(file) : isFile(file)),
    readFile,
    directoryExists,
    getDirectories: (dir) => (directoryExists(dir) ? ts.sys.getDirectories(dir) : []),
    realpath: (file) => {
      if (isTrusted(file)) return ts.sys.realpath?.(file) ?? file;
      const probed = gate.probe(file);
      return "kind" in probed ? probed.realPath : file;
    },
    getSourceFile: (fileName, languageVersion) => {
      const cacheable = !isEntry(fileName) && fileName.split(/[\\/]/).includes("node_modules");
      if (cacheable && (isTrusted(fileName) || isFile(fileName))) {
        const cached = libraryFiles.get(fileName);
        if (cached !== undefined) return cached;
      }
      const text = readFile(fileName);
      if (text === undefined) return undefined;
      const sourceFile = ts.createSourceFile(fileName, text, languageVersion, true);
      if (cacheable) libraryFiles.set(fileName, sourceFile);
      return sourceFile;
    },
  };
}
