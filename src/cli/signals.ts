/**
 * Servers run in process groups of their own (so that their whole tree can be ended), which
 * also means a Ctrl-C in the terminal does not reach them: these handlers end them before the
 * process goes. A run copying its changes into workspace/ is let finish first (a commit
 * stopped halfway keeps some of a run's changes and not others); told twice, the process ends
 * at once, removing the file it was writing.
 */
// Not ../connect/index.js: that loads the SDK, which costs `run` and `--version` ~200 ms.
import { killAllProcessGroups } from "../connect/process-group.js";
import { abandonCommits, commitsEnded } from "../runner/commits-in-flight.js";
import { killLiveSandboxes } from "../runner/live-sandboxes.js";

const SIGNALS = [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const;

export function endOnSignals(): void {
  let stopping = false;
  for (const [signal, code] of SIGNALS) {
    process.on(signal, () => {
      if (stopping) return void stopNow(code);
      stopping = true;
      // Sandboxes first: their processes are noted as they are killed (bwrap killed first
      // would hide its children), and waited for before their folders go, on exit.
      killLiveSandboxes();
      killAllProcessGroups();
      const committing = commitsEnded();
      if (committing === undefined) return void stop(signal, code);
      process.stderr.write(
        `\nmcp-codegen: stopped by ${signal}; copying the run's changes into workspace/ first (${signal} again to stop at once).\n`,
      );
      void committing.then(() => stop(signal, code));
    });
  }
}

function stop(signal: string, code: number): void {
  process.stderr.write(`\nmcp-codegen: stopped by ${signal}; files already on disk are intact.\n`);
  process.exit(code);
}

function stopNow(code: number): void {
  abandonCommits();
  process.stderr.write(
    "\nmcp-codegen: stopped while copying a run's changes into workspace/: some of them were kept, the rest not.\n",
  );
  process.exit(code);
}
