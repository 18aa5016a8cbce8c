#!/usr/bin/env node
/** The process entry: the only place that exits. Servers' process trees end on the way out. */
import { main } from "./main.js";

const exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = exitCode;
