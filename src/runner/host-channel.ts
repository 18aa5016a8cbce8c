/**
 * How a sandboxed program's runtime reaches the channel to its host: the bootstrap opens it
 * and leaves it on `globalThis` under this key. Kept apart from the bootstrap so that the
 * runtime bundled into every program carries only these few lines.
 */
export const CHANNEL_KEY = "mcp-codegen.host-channel";

/** The channel as the program's runtime sees it. */
export interface HostChannel {
  send(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  /** Whether the channel keeps the program alive (it does while requests are under way). */
  hold(held: boolean): void;
}
