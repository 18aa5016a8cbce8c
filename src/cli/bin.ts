#!/usr/bin/env node
/** The CLI's entry, after bin/mcp-codegen.js: the only place that exits (see signals.ts). */
import { processContext } from "./context.js";
import { main } from "./main.js";
import { endOnSignals } from "./signals.js";

endOnSignals();
const exitCode = await main(process.argv.slice(2), processContext());
process.exitCode = exitCode;
