/** Which config file `run` and `daemon` use: `--config`, else the first found upward. */
import * as path from "node:path";
import { findConfigFile, noConfigFound } from "../config/find.js";
import { ConfigError } from "../errors.js";

/** `--config` (relative to `cwd`), else the config found from `cwd` upward, like the runtime. */
export function configFileFor(flag: string | undefined, cwd: string): string {
  const found = flag !== undefined ? path.resolve(cwd, flag) : findConfigFile(cwd);
  if (found === undefined) {
    throw new ConfigError(noConfigFound(cwd));
  }
  return found;
}
