/**
 * Run folders noted with their runner, in this user's private folder, so that one a runner
 * could not remove (it was killed with SIGKILL: no handler runs) is removed by a later run.
 * Such a folder holds a copy of the user's workspace and what the program wrote.
 *
 * The note is not in the run folder: the program can read its folder, and would learn the
 * runner's pid. Each is one small file, written and unlinked synchronously (~0.1 ms): through
 * the thread pool, waiting for its turn there held up the end of a run 1 to 4 ms.
 */
import { execFile } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { privateTempDir } from "../private-temp.js";
import { ownStamp, stampRuns } from "./proc-stat.js";

const RUN_FOLDER_PREFIX = "mcp-codegen-run-";

let notes: { dir: string | undefined } | undefined;

/** The folder of notes, made once per process (each look at the private folder is a mkdir). */
function notesDir(): string | undefined {
  if (notes === undefined) {
    const dir = privateTempDir();
    const runs = dir === undefined ? undefined : path.join(dir, "runs");
    try {
      if (runs !== undefined) mkdirSync(runs, { recursive: true, mode: 0o700 });
      notes = { dir: runs };
    } catch {
      notes = { dir: undefined };
    }
  }
  return notes.dir;
}

function noteOf(dir: string): string | undefined {
  const notes = notesDir();
  return notes === undefined ? undefined : `${notes}/${dir.slice(dir.lastIndexOf("/") + 1)}`;
}

/** Folders this process has noted (a daemon's sandbox is noted when made, not again). */
const noted = new Set<string>();

/** Notes that this process made the run folder `dir`. */
export function noteRunFolder(dir: string): void {
  const note = noteOf(dir);
  if (note === undefined || noted.has(dir)) return;
  noted.add(dir);
  try {
    writeFileSync(note, `${ownStamp()}\n${dir}`);
  } catch {
    // no note: a folder left by a crash is then not swept; nothing else is lost
  }
}

/** Forgets `dir`, removed. */
export function forgetRunFolder(dir: string): void {
  noted.delete(dir);
  const note = noteOf(dir);
  if (note !== undefined) forget(note);
}

/**
 * Removes the run folders whose runners are gone, and their notes. By `rm -rf` (which walks by
 * descriptors): nothing is trusted of a folder a program had. Only a real folder named as run
 * folders are, of this user's, is touched. Never throws.
 */
export function sweepLeftRunFolders(): void {
  const notes = notesDir();
  if (notes === undefined) return;
  let names: string[];
  try {
    names = readdirSync(notes);
  } catch {
    return;
  }
  for (const name of names) {
    const note = path.join(notes, name);
    const left = leftFolder(note);
    if (left === "alive") continue;
    if (left !== undefined && isRunFolder(left)) {
      // In the background: a big leftover must not hold up this run.
      execFile("rm", ["-rf", "--one-file-system", left], () => forget(note));
    } else forget(note);
  }
}

function forget(note: string): void {
  try {
    unlinkSync(note);
  } catch {
    // forgotten meanwhile
  }
}

/** The folder a note names if its runner is gone; "alive" if it runs; undefined if unreadable. */
function leftFolder(note: string): string | "alive" | undefined {
  let text: string;
  try {
    text = readFileSync(note, "utf8");
  } catch {
    return undefined;
  }
  const [owner = "", dir = ""] = text.split("\n");
  return stampRuns(owner) ? "alive" : dir;
}

function isRunFolder(dir: string): boolean {
  if (!path.isAbsolute(dir) || !path.basename(dir).startsWith(RUN_FOLDER_PREFIX)) return false;
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === process.getuid?.();
  } catch {
    return false;
  }
}
