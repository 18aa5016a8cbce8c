/**
 * `check`'s look at the saved skills: each skill's `index.ts` type-checked against the tree a
 * `generate` would write now (the plan's files over the ones on disk), so that a server change
 * that breaks a skill fails `check` before anyone runs it, naming the skill, the line, and the
 * tool whose stub it calls there.
 */
import * as path from "node:path";
import type TS from "typescript";
import type { ResolvedConfig } from "../config/types.js";
import { programAccess } from "../runner/access.js";
import { isInside } from "../runner/file-gate.js";
import { gatedCompilerHost } from "../runner/typecheck-host.js";
import { compilerOptions, findNodeTypes, TYPESCRIPT_LIB } from "../runner/typecheck-check.js";
import { SKILL_MODULE } from "./format.js";
import { listSkills } from "./store.js";
import { importExternal } from "../import-external.js";

export interface SkillProblem {
  readonly skill: string;
  /** Relative to the folder holding `skills/`: `skills/<name>/index.ts`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The stubs called where the error is, as `server/identifier` (`echo/ping`). */
  readonly tools: readonly string[];
}

/** The tree a generate run would write: the plan's new files, and those it would delete. */
export interface PlannedTree {
  readonly serversDir: string;
  readonly contents: ReadonlyMap<string, string>;
  readonly deleted: ReadonlySet<string>;
}

/** Type errors of every skill under `config.outDir`; empty when there are none (or no skills). */
export async function typecheckSkills(
  config: ResolvedConfig,
  planned?: PlannedTree,
): Promise<SkillProblem[]> {
  const files = (await listSkills(config.outDir))
    .filter((skill) => !("problem" in skill))
    .map((skill) => path.join(skill.dir, SKILL_MODULE));
  if (files.length === 0) return [];
  // Loaded only now: most projects have no skill, and the compiler takes 0.3-1 s to load.
  const ts = (await importExternal<{ default: typeof TS }>("typescript")).default;
  const access = programAccess(config);
  const nodeTypes = findNodeTypes(access.nodeModules);
  const options = compilerOptions(ts, config.outDir, nodeTypes);
  const gated = gatedCompilerHost(ts, {
    options,
    access,
    programDir: path.join(config.outDir, "skills"),
    entry: files[0]!,
    cwd: config.outDir,
    trusted: [TYPESCRIPT_LIB, ...(nodeTypes === undefined ? [] : [nodeTypes])],
  });
  const host = planned ? withPlannedTree(ts, gated, planned) : gated;
  const program = ts.createProgram({ rootNames: files, options, host });
  const problems: SkillProblem[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const stubs = importedStubs(ts, source, path.join(config.outDir, "servers"));
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ].filter((d) => d.category === ts.DiagnosticCategory.Error);
    for (const diagnostic of diagnostics)
      problems.push(problemOf(ts, diagnostic, source, stubs, config.outDir));
  }
  return problems;
}

/** The compiler host seeing `planned`'s files under `servers/` in place of those on disk. */
function withPlannedTree(
  ts: typeof TS,
  host: TS.CompilerHost,
  planned: PlannedTree,
): TS.CompilerHost {
  const relative = (file: string) => {
    const resolved = path.resolve(file);
    if (!isInside(planned.serversDir, resolved)) return undefined;
    return path.relative(planned.serversDir, resolved).split(path.sep).join("/");
  };
  const plannedText = (file: string): string | undefined | null => {
    const key = relative(file);
    if (key === undefined) return null; // not the tree's: the host answers
    if (planned.deleted.has(key)) return undefined;
    return planned.contents.get(key) ?? null;
  };
  return {
    ...host,
    fileExists: (file) => {
      const text = plannedText(file);
      return text === null ? host.fileExists(file) : text !== undefined;
    },
    readFile: (file) => {
      const text = plannedText(file);
      return text === null ? host.readFile(file) : text;
    },
    getSourceFile: (fileName, languageVersion, ...rest) => {
      const text = plannedText(fileName);
      if (text === null) return host.getSourceFile(fileName, languageVersion, ...rest);
      return text === undefined
        ? undefined
        : ts.createSourceFile(fileName, text, languageVersion, true);
    },
  };
}

/** The skill's imports from the stubs: local name → `server/identifier`. */
function importedStubs(
  ts: typeof TS,
  source: TS.SourceFile,
  serversDir: string,
): Map<string, string> {
  const stubs = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const target = path.resolve(path.dirname(source.fileName), statement.moduleSpecifier.text);
    if (!isInside(serversDir, target)) continue;
    const server = path.relative(serversDir, target).split(path.sep)[0];
    const named = statement.importClause?.namedBindings;
    if (!server || !named || !ts.isNamedImports(named)) continue;
    for (const element of named.elements)
      stubs.set(element.name.text, `${server}/${(element.propertyName ?? element.name).text}`);
  }
  return stubs;
}

function problemOf(
  ts: typeof TS,
  diagnostic: TS.Diagnostic,
  source: TS.SourceFile,
  stubs: ReadonlyMap<string, string>,
  outDir: string,
): SkillProblem {
  const start = diagnostic.start ?? 0;
  const { line, character } = source.getLineAndCharacterOfPosition(start);
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  return {
    skill: path.basename(path.dirname(source.fileName)),
    file: path.relative(outDir, source.fileName).split(path.sep).join("/"),
    line: line + 1,
    column: character + 1,
    message,
    tools: stubsAt(ts, source, start, stubs, message),
  };
}

/**
 * The stubs called around the error: the call expressions enclosing it whose callee is an
 * imported stub, else the stubs the message names (`has no exported member 'getUser'`).
 */
function stubsAt(
  ts: typeof TS,
  source: TS.SourceFile,
  position: number,
  stubs: ReadonlyMap<string, string>,
  message: string,
): string[] {
  const found = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const stub = stubs.get(node.expression.text);
      if (stub) found.add(stub);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (found.size === 0)
    for (const [local, stub] of stubs) if (message.includes(`'${local}'`)) found.add(stub);
  return [...found];
}
