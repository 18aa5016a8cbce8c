/**
 * Where the runtime's warnings go (drift, an unreadable manifest, an output schema that does
 * not compile): stderr by default, since a program's stdout is its result. Each warning is
 * given once per process: a program that calls a drifted server a thousand times says so once.
 */

/** Receives each warning as one line of text, without a trailing newline. */
export type RuntimeWarningHandler = (message: string) => void;

const toStderr: RuntimeWarningHandler = (message) => {
  process.stderr.write(`mcp-codegen: warning: ${message}\n`);
};

let handler: RuntimeWarningHandler = toStderr;
const given = new Set<string>();

/**
 * Sends the runtime's warnings to `next` instead of stderr (a host that logs elsewhere, a
 * test); `undefined` restores stderr.
 */
export function setRuntimeWarningHandler(next: RuntimeWarningHandler | undefined): void {
  handler = next ?? toStderr;
}

/** Gives `message` unless a warning with the same `key` was given before in this process. */
export function warnOnce(key: string, message: string): void {
  if (given.has(key)) return;
  given.add(key);
  handler(message);
}
