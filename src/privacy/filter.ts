/**
 * What the host does with privacy on: tokens in a request's arguments become the real values
 * before any server sees them, and personal data in what comes back (results, progress
 * messages, errors quoting a server's text) becomes tokens before the program sees it.
 */
import type { ResolvedConfig } from "../config/types.js";
import { isPlainJson } from "../plain-json.js";
import type { RequestMessage, WireValue } from "../runner/protocol.js";
import { detector, type Detector } from "./detect.js";
import { TokenVault } from "./vault.js";
import { mapStrings } from "./walk.js";

export interface PrivacyFilter {
  /** `request` with every token its arguments hold (anywhere in their strings) made real. */
  reveal(request: RequestMessage): RequestMessage;
  /** What `server` answered, with personal data replaced by tokens. */
  hide(server: unknown, value: WireValue): WireValue;
  /** `text` from `server` (a progress message) with personal data replaced by tokens. */
  hideText(server: unknown, text: string): string;
  /** `error` with its message, stack and fields tokenized as `server`'s text (it is changed). */
  hideError(server: unknown, error: unknown): unknown;
}

/** A filter with a vault of its own: one per run, or per `serve` session. */
export function privacyFilter(config: ResolvedConfig): PrivacyFilter {
  const vault = new TokenVault();
  const detectors = new Map<string, Detector>();
  for (const server of config.servers) {
    if (server.privacy) detectors.set(server.name, detector(server.privacy));
  }
  // A server without privacy (or a name that is none) still has known values hidden.
  const hider = (server: unknown) =>
    vault.hider(typeof server === "string" ? detectors.get(server) : undefined);
  const reveal = (text: string) => vault.reveal(text);
  return {
    reveal: (request) => ({ ...request, args: mapStrings(request.args, reveal) as unknown[] }),
    hide(server, value) {
      const hide = hider(server);
      if (value.kind === "value") return { kind: "value", value: mapStrings(value.value, hide) };
      return {
        kind: "content",
        content: mapStrings(value.content, hide),
        ...(value.structuredContent !== undefined
          ? { structuredContent: mapStrings(value.structuredContent, hide) }
          : {}),
      };
    },
    hideText: (server, text) => hider(server)(text),
    hideError(server, error) {
      const hide = hider(server);
      if (!(error instanceof Error)) return hide(String(error));
      const fields = error as unknown as Record<string, unknown>;
      for (const key of ["message", "stack"]) {
        if (typeof fields[key] === "string") fields[key] = hide(fields[key]);
      }
      for (const [key, value] of Object.entries(error)) {
        if (key !== "cause" && isPlainJson(value)) fields[key] = mapStrings(value, hide);
      }
      return error;
    },
  };
}
