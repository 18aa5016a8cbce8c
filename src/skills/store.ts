/**
 * The project's `skills/` folder: saving a skill (its two files at once, never over another
 * without `force`), listing the skills, and keeping `skills/README.md`, their catalog, current.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { compareCodeUnits } from "../compare.js";
import { replaceFile } from "../write/atomic.js";
import { SkillError } from "./errors.js";
import {
  checkedSkillMeta,
  parseSkillFile,
  renderSkillFile,
  SKILL_FILE,
  SKILL_MODULE,
  type SkillMeta,
} from "./format.js";
import { skillSource } from "./source.js";

/** Bytes of code a skill may hold: a skill is a program, not a data set. */
const MAX_CODE_BYTES = 1_000_000;
/** Bytes of a SKILL.md read when listing (a person's may be long; front matter comes first). */
const MAX_SKILL_FILE_BYTES = 256_000;
const CATALOG = "README.md";

export interface SaveSkillInput {
  readonly name: unknown;
  readonly description: unknown;
  readonly code: unknown;
  /** Where the code was written: its relative imports are re-rooted from there. */
  readonly writtenIn: string;
  readonly force?: boolean;
}

export interface SavedSkill extends SkillMeta {
  /** `skills/<name>`, absolute. */
  readonly dir: string;
  readonly replaced: boolean;
}

/** A skill found in `skills/`, or a folder there that is not a readable skill. */
export type ListedSkill =
  | (SkillMeta & { readonly dir: string })
  | { readonly name: string; readonly dir: string; readonly problem: string };

/** Saves a skill into `<outDir>/skills/<name>/` and updates the catalog. */
export async function saveSkill(outDir: string, input: SaveSkillInput): Promise<SavedSkill> {
  const meta = checkedSkillMeta(input);
  if (typeof input.code !== "string" || input.code.trim() === "")
    throw new SkillError(`cannot save skill "${meta.name}": it has no code`);
  if (Buffer.byteLength(input.code) > MAX_CODE_BYTES)
    throw new SkillError(
      `cannot save skill "${meta.name}": its code is over ${MAX_CODE_BYTES.toLocaleString("en-US")} bytes`,
    );
  const root = await skillsRoot(outDir);
  const dir = path.join(root, meta.name);
  const exists = await lstat(dir).then(
    () => true,
    () => false,
  );
  if (exists && !input.force)
    throw new SkillError(
      `skill "${meta.name}" exists already (${dir}); pick another name, or replace it with force (--force on the command line)`,
    );
  const source = await skillSource(meta.name, input.code, input.writtenIn, dir);
  await writeSkillFolder(root, dir, {
    [SKILL_FILE]: renderSkillFile(meta, source.exports),
    [SKILL_MODULE]: source.code.endsWith("\n") ? source.code : `${source.code}\n`,
  });
  await writeCatalog(root);
  return { ...meta, dir, replaced: exists };
}

/** Every folder of `<outDir>/skills` (dotted ones aside), in name order. */
export async function listSkills(outDir: string): Promise<ListedSkill[]> {
  const root = path.join(outDir, "skills");
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && !d.name.startsWith("."))
      .map((d) => d.name);
  } catch {
    return [];
  }
  names.sort(compareCodeUnits);
  return Promise.all(names.map((name) => listedSkill(root, name)));
}

async function listedSkill(root: string, name: string): Promise<ListedSkill> {
  const dir = path.join(root, name);
  let text: string;
  try {
    text = (await readFile(path.join(dir, SKILL_FILE)))
      .subarray(0, MAX_SKILL_FILE_BYTES)
      .toString();
  } catch {
    return { name, dir, problem: `it has no ${SKILL_FILE}` };
  }
  const meta = parseSkillFile(text);
  if ("problem" in meta) return { name, dir, problem: `its ${SKILL_FILE}: ${meta.problem}` };
  if (meta.name !== name)
    return {
      name,
      dir,
      problem: `its ${SKILL_FILE} names it "${meta.name}", not its folder's name`,
    };
  return { ...meta, dir };
}

/** Rewrites `skills/README.md` from the skills there now. */
async function writeCatalog(root: string): Promise<void> {
  const skills = await listSkills(path.dirname(root));
  const lines = [
    "# Skills",
    "",
    "Code agents saved for reuse, one folder each: `SKILL.md` says what it does and how to call",
    "it, `index.ts` does it. Kept current by mcp-codegen (`skill save`, `saveSkill`, `serve`).",
    "",
    ...(skills.length === 0 ? ["No skills yet."] : []),
    ...skills.map((skill) =>
      "problem" in skill
        ? `- \`${skill.name}\`: not a usable skill (${skill.problem})`
        : `- [\`${skill.name}\`](${skill.name}/${SKILL_FILE}): ${skill.description}`,
    ),
  ];
  await replaceFile(path.join(root, CATALOG), `${lines.join("\n")}\n`);
}

/** `<outDir>/skills`, made if missing; refused when it is a file or a link leading elsewhere. */
async function skillsRoot(outDir: string): Promise<string> {
  const root = path.join(outDir, "skills");
  await mkdir(root, { recursive: true });
  const stat = await lstat(root);
  if (!stat.isDirectory())
    throw new SkillError(`${root} is not a folder; skills are saved in a folder of that name`);
  return root;
}

/**
 * Writes the files into a fresh folder beside `dir` and renames it into place, so that a
 * skill is whole or absent; a skill replaced is moved aside first and removed after.
 */
async function writeSkillFolder(
  root: string,
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  const suffix = randomBytes(6).toString("hex");
  const staged = path.join(root, `.${path.basename(dir)}.${suffix}.tmp`);
  const old = path.join(root, `.${path.basename(dir)}.${suffix}.old`);
  await mkdir(staged);
  let replacing = false;
  try {
    for (const [name, text] of Object.entries(files))
      await writeFile(path.join(staged, name), text);
    replacing = await rename(dir, old).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return false;
        throw error;
      },
    );
    await rename(staged, dir);
  } catch (error) {
    // The skill that was there stays: put back if it was moved aside.
    if (replacing) await rename(old, dir).catch(() => {});
    await rm(staged, { recursive: true, force: true });
    throw new SkillError(`could not write skill folder ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (replacing) await rm(old, { recursive: true, force: true });
}
