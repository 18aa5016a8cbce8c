#!/usr/bin/env node
// CommonJS (bin/package.json), as is what it loads first: Node starts a CommonJS entry ~9 ms
// sooner than an ES module, and `run` is one bundle (src/cli/entry.ts) rather than ~70 modules.
"use strict";
// Closes inherited descriptors on load, before anything is started.
const { runCommand } = require("../dist/cli/entry.cjs");

void (async () => {
  const code = process.argv[2] === "run" ? await runCommand(process.argv.slice(2)) : undefined;
  if (code !== undefined) {
    process.exitCode = code;
    return;
  }
  await import("../dist/cli/bin.js");
})();
