#!/usr/bin/env node
// Descriptors inherited from the shell must not reach servers or sandboxed programs.
await import("../dist/cli/inherited-descriptors.js");
// `run` starts the program's sandboxed Node before the rest of the CLI loads (see prelaunch).
if (process.argv[2] === "run") await import("../dist/cli/prelaunch.js");
await import("../dist/cli/bin.js");
