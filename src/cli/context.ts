/** What a command handler gets from the process: passed in, so that tests can run commands in-process. */
export interface CommandContext {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /**
   * Where `run` reads a program from when given neither a file nor --eval. A function: merely
   * touching `process.stdin` sets up a stream, which every other command would pay for.
   */
  readonly stdin?: () => NodeJS.ReadableStream & { isTTY?: boolean };
}

/** The context of the process itself, as its entry points run commands with it. */
export function processContext(): CommandContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => process.stdin,
  };
}
