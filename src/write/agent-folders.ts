import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { WriteError } from "../errors.js";

/**
 * The agent's own folders beside `servers/`: `skills/` (code an agent saved for reuse) and
 * `workspace/` (files it keeps between runs). The generator creates them once and never writes
 * into them again: everything in them belongs to agents and people.
 */

/** The folders `ensureAgentFolders` creates, relative to `outDir`, in the order it creates them. */
const AGENT_FOLDERS: readonly string[] = ["skills", "workspace"];

/**
 * Creates `<outDir>/skills` and `<outDir>/workspace` when they are missing (and `outDir` itself
 * if needed). Returns the names, relative to `outDir`, of the folders it created, so the CLI can
 * say so; an empty list means both were already there.
 *
 * Anything already at those names is left exactly as it is, whatever it is (a folder with its
 * contents, a symbolic link, even a file): `mkdir` without `recursive` fails on an existing
 * path instead of touching it, and that failure is the "already there" answer, with no gap
 * between checking and creating.
 */
export async function ensureAgentFolders(outDir: string): Promise<string[]> {
  const root = path.resolve(outDir);
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw new WriteError(root, `could not create the output folder: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const created: string[] = [];
  for (const name of AGENT_FOLDERS) {
    const folder = path.join(root, name);
    try {
      await mkdir(folder);
      created.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new WriteError(folder, `could not be created: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return created;
}
