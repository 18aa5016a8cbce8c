#!/usr/bin/env node
// CommonJS (bin/package.json), as is all it loads: Node starts a CommonJS entry ~9 ms sooner
// than an ES module, and each command is one bundle (src/cli/entry.ts) rather than hundreds
// of modules.
"use strict";
// Closes inherited descriptors on load, before anything is started.
const { runCommand, cliCommand } = require("../dist/cli/entry.cjs");

void (async () => {
  const argv = process.argv.slice(2);
  const code = argv[0] === "run" ? await runCommand(argv) : undefined;
  process.exitCode = code ?? (await cliCommand(argv));
})();
