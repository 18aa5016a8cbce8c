/**
 * The first module a sandboxed program's Node runs. It is written next to the bundle, so that
 * the child can start (and Node load) while the host is still bundling; the host's "start"
 * message says the bundle is there. Then it imports the program, calls a default-exported
 * function and prints what that returns as JSON, and reports a failure on stderr with exit
 * code 1. `bootstrap` below is serialised into that file: it must use nothing from outside.
 */
export const BOOTSTRAP_FILE = "bootstrap.mjs";
export const PROGRAM_FILE = "program.mjs";

function bootstrap(programFile: string): void {
  // What the sandbox refused, said plainly: Node's own message ("Access to this API has been
  // restricted") names neither the resource nor the rule.
  const hint = (error: unknown): string => {
    const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
    if (e.code === "ERR_ACCESS_DENIED") {
      const what = typeof e.resource === "string" && e.resource !== "" ? ` (${e.resource})` : "";
      return `the sandbox refused ${String(e.permission ?? "this")}${what}: a program may read its own code and workspace/, write only workspace/, and may not start processes, threads or native addons`;
    }
    // fetch() puts the socket's error in `cause`.
    const cause = (typeof e.cause === "object" && e.cause !== null ? e.cause : {}) as {
      code?: unknown;
    };
    const network = ["ENETUNREACH", "EAI_AGAIN", "ENOTFOUND", "ECONNREFUSED"];
    if (network.includes(String(e.code)) || network.includes(String(cause.code))) {
      return "the sandbox has no network: reach outside systems through the MCP servers' tools";
    }
    return "";
  };
  const report = (error: unknown): void => {
    const text =
      error instanceof Error ? (error.stack ?? String(error)) : `thrown: ${String(error)}`;
    // Frames of Node's module loader and of this file say nothing about the program.
    const frames = text
      .split("\n")
      .filter((line) => !(/^\s+at /.test(line) && /node:internal|bootstrap\.mjs/.test(line)))
      .join("\n");
    const cause =
      error instanceof Error && error.cause instanceof Error
        ? `\n  cause: ${error.cause.message}`
        : "";
    const note = hint(error);
    process.stderr.write(`error: ${frames}${cause}\n${note ? `mcp-codegen run: ${note}\n` : ""}`);
    process.exitCode = 1;
  };
  // The runner is gone (it exited, or was killed): nobody will start this program, or answer
  // its tool calls, or read what it prints.
  process.once("disconnect", () => process.exit(1));
  process.once("message", (start: { env?: Record<string, string> }) => {
    // The variables the config lets the program see (Node started with none).
    Object.assign(process.env, start.env ?? {});
    // From now on only the program's own requests keep the channel (and the process) alive.
    process.channel?.unref();
    void (async () => {
      try {
        const program = (await import(new URL(programFile, import.meta.url).href)) as {
          default?: unknown;
        };
        if (typeof program.default === "function") {
          const value: unknown = await (program.default as () => unknown)();
          if (value !== undefined) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
        }
      } catch (error) {
        report(error);
      }
    })();
  });
}

export const BOOTSTRAP_SOURCE = `// mcp-codegen run: starts the bundled program when the host says it is ready.
(${bootstrap.toString()})(${JSON.stringify(`./${PROGRAM_FILE}`)});
`;
