#!/usr/bin/env node
// CommonJS (bin/package.json), as is what it loads first: Node starts a CommonJS entry ~9 ms
// sooner than an ES module, a tenth of a run with the daemon up.
"use strict";
// Closes inherited descriptors on load; see src/cli/entry.ts.
const { quickRun } = require("../dist/cli/entry.cjs");

void (async () => {
  if (process.argv[2] === "run") {
    // A daemon takes the program now, or the program's sandboxed Node starts booting.
    const code = await quickRun(process.argv.slice(2));
    if (code !== undefined) {
      process.exitCode = code;
      return;
    }
  }
  await import("../dist/cli/bin.js");
})();
