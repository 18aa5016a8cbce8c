/**
 * What each run adds around the host that answers it, whoever holds the connections (the
 * runner's own, or the daemon's and serve's, shared by their runs): its privacy, with a token
 * map of its own, and its quota of skills.
 */
import type { ResolvedConfig } from "../config/types.js";
import { withPrivacy } from "./private-host.js";
import { RunError } from "./errors.js";
import type { ToolHost } from "./tool-host.js";

/**
 * Skills one run may save. The host writes them into `skills/`, outside the workspace and its
 * disk limit: without a bound, a program could fill the disk a megabyte of code at a time.
 */
export const MAX_SKILLS_PER_RUN = 16;

export function runHost(host: ToolHost, config: ResolvedConfig): ToolHost {
  const private_ = withPrivacy(host, config);
  let saves = 0;
  return {
    handle(request, signal, onProgress) {
      if (request.op === "saveSkill" && ++saves > MAX_SKILLS_PER_RUN) {
        return Promise.reject(
          new RunError(
            `saveSkill: a run may save at most ${MAX_SKILLS_PER_RUN} skills; this one was not saved`,
          ),
        );
      }
      return private_.handle(request, signal, onProgress);
    },
    close: () => private_.close(),
    config: () => private_.config(),
  };
}
