/** What a command handler gets from the process: passed in, so that tests can run commands in-process. */
export interface CommandContext {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}
