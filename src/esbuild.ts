/**
 * esbuild, loaded on first use through `require`: importing its CommonJS entry as an ES module
 * makes Node scan the whole file for its exports first, which costs ~40 ms that `run` and
 * config loading notice.
 */
import { createRequire } from "node:module";
import type * as Esbuild from "esbuild";

let loaded: typeof Esbuild | undefined;

export function esbuild(): typeof Esbuild {
  loaded ??= createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  return loaded;
}
