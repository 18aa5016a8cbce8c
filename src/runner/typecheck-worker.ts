/**
 * The process `--typecheck` runs in (started by `typecheck.ts`), so that the run's limits hold
 * for the compiler too: its heap is capped, and it is killed when the run's time is up. It
 * checks one program per message; the library parses it keeps make the next check quick. It
 * ends when the runner does (its channel closes).
 */
import type { TypecheckResult } from "./typecheck.js";
import { checkProgram, type CheckRequest } from "./typecheck-check.js";

/** What the checker answers: the result, or a bug's stack. */
export type CheckReply = { readonly result: TypecheckResult } | { readonly bug: string };

process.on("message", (request: CheckRequest) => {
  checkProgram(request).then(
    (result) => process.send?.({ result } satisfies CheckReply),
    (error: unknown) =>
      process.send?.({
        bug: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies CheckReply),
  );
});
process.on("disconnect", () => process.exit(0));
