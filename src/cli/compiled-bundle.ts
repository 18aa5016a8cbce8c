/**
 * Requires the CLI's later bundles (dist/cli/run.cjs and cli.cjs) through V8's code cache:
 * compiling run.cjs's ~430 KB at each start cost ~10 ms of the run (31 pairs), and cli.cjs
 * (5 MB, with the packages it carries) ~110 ms; reading them back compiled takes a fraction.
 * Node 20 has no compile cache of its own (`module.enableCompileCache` is Node 22's): this is
 * what `v8-compile-cache` does, for our bundles and without that package's hook on every
 * `require`. A script compiled this way has no loader for `import()`, so the bundle's code
 * imports through import-external.ts, which the caller lends one.
 *
 * The cache lives in this user's private folder (private-temp.ts), named by the bundle's path,
 * size and time, the command it serves (each calls other functions, and a cache holds those
 * its first run compiled) and Node's version; V8 checks it against the source, its version and
 * its flags, and one it rejects is written again. Without the folder, the bundle is required
 * as any module.
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isAscii } from "node:buffer";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { privateFileKey, privateTempDir, readPrivateFile } from "../private-temp.js";

/**
 * The exports of the CommonJS file at `file` (absolute), compiled from the cache if it can be.
 * `variant` keeps one cache per use of the file (a command) that calls different functions.
 */
export function requireCompiled(file: string, variant: string): unknown {
  const cacheFile = cacheFileFor(file, variant);
  if (cacheFile === undefined) return createRequire(file)(file);
  const cached = readPrivateFile(cacheFile);
  const script = new vm.Script(wrapped(sourceOf(file)), {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
  });
  const module = { exports: {} as unknown };
  const load = script.runInThisContext() as CommonJsWrapper;
  load(module.exports, createRequire(file), module, file, path.dirname(file));
  if (cached === undefined || script.cachedDataRejected === true) {
    // Once the run is over: the functions it called are compiled by then, and go in too. Not
    // after a failure or a usage error, which may have stopped before most of them.
    process.once("exit", (code) => code !== 1 && code !== 2 && writeCache(cacheFile, script));
  }
  return module.exports;
}

type CommonJsWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/**
 * The file's code. The build leaves the bundles ASCII (scripts/bundle-entry.mjs), which reads
 * ~4× faster as Latin-1 than through the UTF-8 decoder (a 5 MB bundle: 8 ms against 34).
 */
function sourceOf(file: string): string {
  const bytes = readFileSync(file);
  return bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
}

/** The file's code as Node wraps a CommonJS module. */
function wrapped(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

/** `compiled-<the bundle's path and variant>-<its version and Node's>.v8` in the private folder. */
function cacheFileFor(file: string, variant: string): string | undefined {
  const dir = privateTempDir();
  if (dir === undefined) return undefined;
  const stat = statSync(file);
  const version = privateFileKey(`${stat.size}:${stat.mtimeMs}:${process.version}`);
  return path.join(dir, `${cacheNamePrefix(file, variant)}${version}.v8`);
}

/** What the names of the caches of `file`'s `variant` start with (all of its versions). */
export function cacheNamePrefix(file: string, variant: string): string {
  return `compiled-${privateFileKey(`${file}\0${variant}`)}-`;
}

/**
 * Written in one step, so that a run starting meanwhile reads the old cache or the new; the
 * caches of the same bundle's earlier builds (or of another Node) go, and so do those no run
 * has written for a fortnight (the bundles of other installs: a project removed, an old clone).
 */
function writeCache(file: string, script: vm.Script): void {
  try {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: "wx" });
    renameSync(temporary, file);
    removeStaleCaches(path.dirname(file), path.basename(file), Date.now());
  } catch {
    // Only a cache: the next run compiles again.
  }
}

const STALE_AFTER_MS = 14 * 24 * 3600 * 1000;

/** In `dir`, the caches `kept` replaces, and those written more than STALE_AFTER_MS before `now`. */
export function removeStaleCaches(dir: string, kept: string, now: number): void {
  const sameBundle = kept.slice(0, kept.lastIndexOf("-") + 1);
  for (const other of readdirSync(dir)) {
    if (other === kept || !other.startsWith("compiled-") || !other.endsWith(".v8")) continue;
    const file = path.join(dir, other);
    try {
      if (other.startsWith(sameBundle) || now - statSync(file).mtimeMs > STALE_AFTER_MS) {
        rmSync(file, { force: true });
      }
    } catch {
      // Gone meanwhile (another run's clean-up).
    }
  }
}
