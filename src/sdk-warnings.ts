/**
 * The MCP SDK warns on the console (`[mcp-sdk] …`): to our stderr, which a client of `serve`
 * shows as an error, and in words that are not ours. While `work` runs, those warnings go to
 * `onWarning` instead (without the prefix); other console warnings pass as they were. Calls may
 * overlap: the console is restored when the last one ends.
 */
const handlers = new Set<(line: string) => void>();
let original: typeof console.warn | undefined;

export async function withSdkWarnings<T>(
  work: () => Promise<T>,
  onWarning: (line: string) => void,
): Promise<T> {
  // Its own entry, so two calls with the same handler are two.
  const handler = (line: string) => onWarning(line);
  if (handlers.size === 0) {
    const warn = (original = console.warn);
    console.warn = (...data: unknown[]) => {
      if (typeof data[0] !== "string" || !data[0].startsWith("[mcp-sdk]")) return warn(...data);
      const line = data
        .map(String)
        .join(" ")
        .replace(/^\[mcp-sdk\] /, "");
      for (const each of handlers) each(line);
    };
  }
  handlers.add(handler);
  try {
    return await work();
  } finally {
    handlers.delete(handler);
    if (handlers.size === 0 && original) console.warn = original;
  }
}
