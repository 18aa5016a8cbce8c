/**
 * The program reaches past Node's public API: internal bindings (a known way around the
 * permission model), the inspector, loader hooks, signals to the sandbox's own init, set-uid,
 * `/proc/1/root`, WebAssembly. Whatever Node lets through, the canaries stay out of reach: the
 * sandbox's mount namespace has nothing of the host to give.
 */
import { describe, expect, it } from "vitest";
import { expectNoCanary, hostileProject, jsonOut, makeCanaries, runHostile } from "./harness.js";

const canaries = makeCanaries();

const PROGRAM = `const seen: Record<string, string> = {};
const attempt = async (name: string, f: () => unknown) => {
  try {
    seen[name] = "reached: " + String(await f()).slice(0, 200);
  } catch (error) {
    seen[name] = "refused: " + String((error as { code?: string }).code ?? (error as Error).message).slice(0, 60);
  }
};
const binding = (name: string) => (process as unknown as { binding(n: string): any }).binding(name);
await attempt("spawn through the internal binding", () =>
  binding("spawn_sync").spawn({ file: "/bin/sh", args: ["sh", "-c", "id"], stdio: [] }).status);
await attempt("open through the fs binding", () =>
  binding("fs").open(${JSON.stringify(canaries.sshKeyFile)}, 0, 0, undefined, { path: "" }));
await attempt("the inspector", async () => {
  const inspector = await import("node:inspector");
  inspector.open(0);
  return inspector.url();
});
await attempt("a loader hook", async () => {
  const { register } = await import("node:module");
  register("data:text/javascript,export async function load(u, c, n) { return n(u, c); }");
  return "registered";
});
await attempt("the host's files through /proc/1/root", async () =>
  (await import("node:fs")).readFileSync("/proc/1/root" + ${JSON.stringify(canaries.sshKeyFile)}, "utf8"));
await attempt("set-uid root", () => {
  process.setuid?.(0);
  return process.getuid?.();
});
// Signals reach only the sandbox's own processes (bwrap's init is pid 1 in there).
await attempt("SIGUSR1 to pid 1", () => {
  (process as unknown as { _debugProcess(pid: number): void })._debugProcess(1);
  return "sent";
});
await attempt("WebAssembly", async () =>
  typeof (await WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))));
console.log(JSON.stringify(seen));
`;

describe("Node's internals", () => {
  it("give the program nothing of the host", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(project, canaries, PROGRAM);
    expect(result.code).toBe(0);
    expect(jsonOut(result)).toEqual({
      "spawn through the internal binding": "refused: ERR_ACCESS_DENIED",
      "open through the fs binding": "refused: ERR_ACCESS_DENIED",
      "the inspector": "refused: ERR_ACCESS_DENIED",
      "a loader hook": "refused: ERR_ACCESS_DENIED",
      "the host's files through /proc/1/root": "refused: ERR_ACCESS_DENIED",
      "set-uid root": "refused: EINVAL",
      // Harmless: pid 1 is the sandbox's own init, and the inspector is refused anyway.
      "SIGUSR1 to pid 1": "reached: sent",
      // Pure computation, no system access: nothing to refuse.
      WebAssembly: "reached: object",
    });
    expectNoCanary(result, canaries);
  });
});
