/**
 * Servers run in process groups of their own (so that their whole tree can be ended), which
 * also means a Ctrl-C in the terminal does not reach them: these handlers end them before the
 * process goes. A run copying its changes into workspace/ is let finish first (a commit
 * stopped halfway keeps some of a run's changes and not others); told twice, it stops after
 * the file it is copying; three times, at once.
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
  let told = 0;
  for (const [signal, code] of SIGNALS) {
    process.on(signal, () => {
      told += 1;
      // The first signal's wait for the commit then ends, and says what was kept.
      if (told === 2) return void abandonCommits();
      if (told > 2) return void process.exit(code);
      // Sandboxes first: their processes are noted as they are killed (bwrap killed first
      // would hide its children), and waited for before their folders go, on exit.
      killLiveSandboxes();
      killAllProcessGroups();
      const committing = commitsEnded();
      if (committing === undefined) return void stop(signal, code);
      process.stderr.write(
        `\nmcp-codegen: stopped by ${signal}; copying the run's changes into workspace/ first (${signal} again to stop after the file it is copying).\n`,
      );
      void committing.then(() => (told > 1 ? stoppedMidCommit(code) : stop(signal, code)));
    });
  }
}

function stop(signal: string, code: number): void {
  process.stderr.write(`\nmcp-codegen: stopped by ${signal}; files already on disk are intact.\n`);
  process.exit(code);
}

function stoppedMidCommit(code: number): void {
  process.stderr.write(
    "\nmcp-codegen: stopped while copying a run's changes into workspace/: some of them were kept, the rest not.\n",
  );
  process.exit(code);
}
