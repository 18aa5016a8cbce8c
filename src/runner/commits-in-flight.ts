/**
 * Commits into a real workspace under way in this process, so that a signal ending it can let
 * them finish (a commit stopped halfway leaves some of a run's changes and not others), or,
 * told twice, stop them after the file each is writing. On globalThis: the signal handler and the commit
 * may come from different bundles of the CLI.
 */

export interface CommitInFlight {
  /** Set when the process must end: the commit stops after the file it is writing. */
  readonly abandoned: boolean;
  end(): void;
}

interface Registry {
  readonly commits: Map<{ abandoned: boolean; end(): void }, Promise<void>>;
}

const REGISTRY = Symbol.for("mcp-codegen.commits-in-flight");
const registry = ((globalThis as { [REGISTRY]?: Registry })[REGISTRY] ??= { commits: new Map() });

export function startCommit(): CommitInFlight {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const commit = {
    abandoned: false,
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
 * For a process that must end now: each commit stops after the file it is writing (a copy
 * under way cannot be stopped; removing its file meanwhile left it there, made after the
 * removal). Settles once they have.
 */
export function abandonCommits(): Promise<void> {
  for (const commit of registry.commits.keys()) commit.abandoned = true;
  return commitsEnded() ?? Promise.resolve();
}
