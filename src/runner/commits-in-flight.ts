/**
 * Commits into a real workspace under way in this process, so that a signal ending it can let
 * them finish (a commit stopped halfway leaves some of a run's changes and not others), or,
 * told twice, remove what they were writing. On globalThis: the signal handler and the commit
 * may come from different bundles of the CLI.
 */
import { rmSync } from "node:fs";

export interface CommitInFlight {
  /** Files being written beside their targets, not yet renamed over them. */
  readonly temporaries: Set<string>;
  end(): void;
}

interface Registry {
  readonly commits: Map<CommitInFlight, Promise<void>>;
}

const REGISTRY = Symbol.for("mcp-codegen.commits-in-flight");
const registry = ((globalThis as { [REGISTRY]?: Registry })[REGISTRY] ??= { commits: new Map() });

export function startCommit(): CommitInFlight {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const commit: CommitInFlight = {
    temporaries: new Set(),
    end() {
      registry.commits.delete(commit);
      end();
    },
  };
  registry.commits.set(commit, ended);
  return commit;
}

/** Settles once every commit under way now has ended; undefined if none is. */
export function commitsEnded(): Promise<void> | undefined {
  if (registry.commits.size === 0) return undefined;
  return Promise.all(registry.commits.values()).then(() => {});
}

/**
 * For a process about to end mid-commit: removes the files its commits were writing (each
 * beside its target under a temporary name), so that none is left in the workspace.
 */
export function abandonCommits(): void {
  for (const commit of registry.commits.keys()) {
    for (const file of commit.temporaries) rmSync(file, { force: true });
  }
}
