/** What the program of a project may import (the bundler's and type-checker's file gate). */
import * as path from "node:path";
import type { ResolvedConfig } from "../config/types.js";
import { projectNodeModules, type ProgramAccess } from "./bundle.js";

/** `config`'s output folder and packages; never the config file itself. */
export function programAccess(config: ResolvedConfig): ProgramAccess {
  return {
    root: config.root,
    outDir: config.outDir,
    denied: config.file === undefined ? [] : [config.file],
    nodeModules: projectNodeModules(
      config.file === undefined ? config.outDir : path.dirname(config.file),
    ),
    outputTypes: outputTypeFiles(config),
  };
}

/** The files the config's `outputs` take types from: the stubs import them, so they are read. */
function outputTypeFiles(config: ResolvedConfig): string[] {
  const files = config.servers.flatMap((server) =>
    Object.values(server.outputs ?? {}).flatMap((output) =>
      output.kind === "type" ? [output.file] : [],
    ),
  );
  return [...new Set(files)];
}
