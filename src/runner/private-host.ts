/**
 * A ToolHost with the config's privacy applied (see `src/privacy/`): the program sees tokens
 * in place of personal data, and its servers the real values. Every host (`run`, the daemon's
 * runs, `serve`) wraps its own here, so that each run or session has a token map of its own.
 */
import type { ResolvedConfig } from "../config/types.js";
import type { PrivacyFilter } from "../privacy/filter.js";
import type { Operation } from "./protocol.js";
import type { ToolHost } from "./tool-host.js";

/**
 * `host` with privacy applied to its requests; `host` itself when no server of `config` has
 * privacy on, so that runs without it pay nothing (not even loading the validators).
 */
/** Operations that reach no server. */
const TREE_OPERATIONS: ReadonlySet<Operation> = new Set(["searchTools", "saveSkill"]);

export function withPrivacy(host: ToolHost, config: ResolvedConfig): ToolHost {
  if (!config.servers.some((server) => server.privacy !== undefined)) return host;
  let filter: Promise<PrivacyFilter> | undefined;
  const load = () =>
    (filter ??= import("../privacy/filter.js").then(({ privacyFilter }) => privacyFilter(config)));
  return {
    async handle(request, signal, onProgress) {
      // Only what goes to and comes from servers: a search reads the tree, and a skill's code
      // is written to disk, where a real value must never be put back.
      if (TREE_OPERATIONS.has(request.op)) return host.handle(request, signal, onProgress);
      const privacy = await load();
      const server = request.args[0];
      const shown = onProgress
        ? (progress: Parameters<typeof onProgress>[0]) =>
            onProgress(
              progress.message === undefined
                ? progress
                : { ...progress, message: privacy.hideText(server, progress.message) },
            )
        : undefined;
      try {
        return privacy.hide(server, await host.handle(privacy.reveal(request), signal, shown));
      } catch (error) {
        throw privacy.hideError(server, error);
      }
    },
    close: () => host.close(),
    config: () => host.config(),
  };
}
