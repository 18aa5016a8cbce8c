/**
 * Servers run in process groups of their own (so that their whole tree can be ended), which
 * also means a Ctrl-C in the terminal does not reach them: these handlers end them before the
 * process goes.
 */
// Not ../connect/index.js: that loads the SDK, which costs `run` and `--version` ~200 ms.
import { killAllProcessGroups } from "../connect/process-group.js";
import { endLiveSandboxes } from "../runner/live-sandboxes.js";

export function endOnSignals(): void {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    process.once(signal, () => {
      // Sandboxes first: their processes are noted as they are killed, and waited for.
      endLiveSandboxes();
      killAllProcessGroups();
      process.stderr.write(
        `\nmcp-codegen: stopped by ${signal}; files already on disk are intact.\n`,
      );
      process.exit(code);
    });
  }
}
