/**
 * The program turns the sandbox's own error report against itself: the report runs inside the
 * program's process, after the program has had every chance to poison what it uses. Whatever the
 * program does to it, the run ends (with the program's own failure, or the time limit), and
 * nothing of the host shows in what it prints.
 */
import { describe, expect, it } from "vitest";
import { expectNoCanary, hostileProject, makeCanaries, runHostile } from "./harness.js";

const canaries = makeCanaries();

describe("the error report, poisoned by the program", () => {
  it("ends the run when the globals it uses throw", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      `String.prototype.split = () => { throw new Error("poisoned split"); };
Array.prototype.filter = () => { throw new Error("poisoned filter"); };
(Error as unknown as { prepareStackTrace: unknown }).prepareStackTrace = () => ${JSON.stringify(canaries.sshKeyFile)};
throw new Error("boom");
`,
      ["--timeout", "5000"],
    );
    // The program's own failure: the poisoned report throws, and Node ends the process with 1.
    expect(result.code).toBe(1);
    expectNoCanary(result, canaries);
  });

  it("is stopped by the time limit when reading the error never ends", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      `throw Object.defineProperty(new Error("slow"), "stack", { get() { for (;;) {} } });
`,
      ["--timeout", "3000"],
    );
    expect(result.code).toBe(124);
    expectNoCanary(result, canaries);
  });
});
