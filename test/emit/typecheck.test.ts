/**
 * The generated code type-checks as it is, under `tsc --strict` with `noUncheckedIndexedAccess`:
 * every golden tree and the committed `out/servers` tree, in one program, with
 * `mcp-codegen/runtime` resolved to the runtime's source. One more file in the program misuses
 * a few stubs, and exactly its wrong lines must be errors: the types are real, not `any`.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { GOLDEN, REPO } from "./tree.js";

const TREES = [GOLDEN, path.join(REPO, "out/servers")];
const MISUSE = path.join(GOLDEN, "misuse.ts");

// Lines ending in `// wrong` must each have an error; no other line may have one.
const MISUSE_SOURCE = `
import { getWeather } from "./output-schema/servers/weather/getWeather.js";
import { sendNotification } from "./output-schema/servers/weather/sendNotification.js";
import { closed } from "./no-arguments/servers/clock/closed.js";
import { now } from "./no-arguments/servers/clock/now.js";
import { openRecord } from "./no-arguments/servers/clock/openRecord.js";
import { setMode } from "./enum-and-const/servers/enums/setMode.js";
import { updateTree } from "./defs-and-recursion/servers/graph/updateTree.js";
import { think } from "./defs-and-recursion/servers/graph/think.js";
import { configurePipeline } from "./draft-2020-12/servers/pipeline/configurePipeline.js";
import * as servers from "./multi-server/servers/index.js";
import { setOptions } from "./inherited-names/servers/inherited/setOptions.js";
import { construct } from "./inherited-names/servers/inherited/construct.js";
import { tag } from "./inherited-names/servers/inherited/tag.js";
import { getUser_5a42f9 } from "./case-collision/servers/users/getUser_5a42f9.js";
import { tagOpen } from "./keys-beyond-properties/servers/keys/tagOpen.js";
import { tagClosed } from "./keys-beyond-properties/servers/keys/tagClosed.js";
import { ship } from "./keys-beyond-properties/servers/keys/ship.js";
import type * as Summary from "./output-schema/servers/weather/summary.js";

const weather = await getWeather({ city: "Lisbon", units: "metric" });
const celsius: number = weather.temperature;
const label: string = weather.temperature; // wrong
await getWeather({ city: 42 }); // wrong
await getWeather({ units: "metric" }); // wrong
await getWeather({ city: "Lisbon", units: "kelvin" }); // wrong
await getWeather({ city: "Lisbon", colour: "red" }); // wrong
const sent = await sendNotification({ channel: "sms", message: "hi", recipients: ["a@b.c"] });
const text: string = sent.text;
const count: number = sent.text; // wrong
await now();
await now({});
// \`{ "type": "object" }\` accepts any object; only additionalProperties: false closes it.
await now({ stray: 1 });
await closed({ stray: 1 }); // wrong
await now({}, { timeout: 5000, signal: AbortSignal.timeout(1000) });
await now({}, { timeout: "soon" }); // wrong
await openRecord({ anything: [1, 2] });
await setMode({ mode: "eco", level: 2 });
await setMode({ mode: "eco", level: 4 }); // wrong
await updateTree({ root: { id: "a", children: [{ id: "b", children: [] }] } });
await think({ thought: "t", nextThoughtNeeded: false, isRevision: true });
await think({ thought: "t", nextThoughtNeeded: false, isRevision: "yes" }); // wrong
await updateTree({ root: { id: "a", children: [{ id: 1 }] } }); // wrong
await configurePipeline({ version: 2, range: [1, 2] });
await configurePipeline({ version: 3, range: [1, 2] }); // wrong
await configurePipeline({ version: 2, range: [1, 2, 3] }); // wrong
const issue = await servers.github.createIssue({ repo: "r", title: "t" });
const issueNumber: number = issue.number;
await servers.github.createIssue({ repo: "r" }); // wrong
await servers.auxMail.readFile({ path: "/inbox" });
// Optional properties named like what every object inherits: an object without them is fine.
const options = await setOptions();
await setOptions({ nested: { label: "l" }, propertyIsEnumerable: {} });
await setOptions({ constructor: "c", toString: 1, isPrototypeOf: ["a"], ["__proto__"]: "p" });
await setOptions({ constructor: 1 }); // wrong
await setOptions({ nested: { constructor: "one" } }); // wrong
await tag({ anything: "x" });
await tag({ constructor: 2 }); // wrong
await construct({ constructor: "c" });
await construct({}); // wrong
const constructorName: string | undefined =
  typeof options.constructor === "object" ? options.constructor.name : undefined;
// A tool renamed for a collision keeps its types (its hash suffix survives the type compiler).
await getUser_5a42f9({ value: "v" });
await getUser_5a42f9({ value: 1 }); // wrong
// Keys beyond \`properties\`: any key where a pattern leaves others open, only matching ones where
// additionalProperties is false, and keys that only a condition names.
await tagOpen({ count: 1, "x-a": true, other: "anything" });
await tagClosed({ count: 1, "x-a": true });
await tagClosed({ count: 1, other: "text" }); // wrong
await ship({ method: "courier", window: "9-12" });
await ship({ method: "courier", windw: "9-12" }); // wrong
const declared: typeof Summary.getWeather = getWeather;
const misdeclared: typeof Summary.sendNotification = getWeather; // wrong
export { celsius, label, text, count, issueNumber, constructorName, declared, misdeclared };
`;

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noEmit: true,
  skipLibCheck: false,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  types: ["node"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  paths: { "mcp-codegen/runtime": [path.join(REPO, "src/runtime/index.ts")] },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(dir, file))
    .sort();
}

const relative = (file: string) => path.relative(REPO, file).split(path.sep).join("/");

/** Diagnostics as `file(line,col): TS1234 message` lines, paths relative to the repo. */
function describeDiagnostics(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
    if (!d.file || d.start === undefined) return `TS${d.code} ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(d.file.fileName)}(${line + 1},${character + 1}): TS${d.code} ${message}`;
  });
}

let program: ts.Program;
let roots: string[];

beforeAll(() => {
  roots = TREES.flatMap(sourceFiles);
  const host = ts.createCompilerHost(OPTIONS, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === MISUSE || fileExists.call(host, file);
  host.readFile = (file) => (file === MISUSE ? MISUSE_SOURCE : readFile.call(host, file));
  host.getSourceFile = (file, language, ...rest) =>
    file === MISUSE
      ? ts.createSourceFile(file, MISUSE_SOURCE, language)
      : getSourceFile.call(host, file, language, ...rest);
  program = ts.createProgram({ rootNames: [...roots, MISUSE], options: OPTIONS, host });
}, 60_000);

describe("generated code under tsc --strict", () => {
  it("checks every golden tree and the committed out/servers tree", () => {
    const checked = new Set(program.getRootFileNames());
    for (const tree of TREES) {
      expect(roots.filter((f) => f.startsWith(tree)).length, relative(tree)).toBeGreaterThan(10);
    }
    expect(roots.filter((f) => f.endsWith(".d.ts")).length).toBeGreaterThan(14);
    for (const file of roots) expect(checked.has(file), relative(file)).toBe(true);
    const runtime = program.getSourceFile(path.join(REPO, "src/runtime/index.ts"));
    expect(runtime, "mcp-codegen/runtime resolves to src/runtime/index.ts").toBeDefined();
  });

  it("has no diagnostics in any generated file, .d.ts included", () => {
    // Per file rather than the whole program: the libraries the runtime imports are not ours
    // to check, while `skipLibCheck: false` keeps the generated `summary.d.ts` files checked.
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...roots.flatMap((file) => ts.getPreEmitDiagnostics(program, program.getSourceFile(file))),
    ];
    expect(describeDiagnostics(diagnostics).join("\n")).toBe("");
  });

  it("reports an error on exactly the wrong lines of the misuse file", () => {
    const file = program.getSourceFile(MISUSE)!;
    const diagnostics = ts.getPreEmitDiagnostics(program, file);
    const lines = new Set(
      diagnostics.map((d) => file.getLineAndCharacterOfPosition(d.start ?? 0).line),
    );
    const wrong = MISUSE_SOURCE.split("\n").flatMap((line, i) =>
      line.endsWith("// wrong") ? [i] : [],
    );
    const show = (list: Iterable<number>) =>
      [...list].sort((a, b) => a - b).map((i) => `${i + 1}: ${MISUSE_SOURCE.split("\n")[i]}`);
    expect(show(lines), describeDiagnostics(diagnostics).join("\n")).toEqual(show(wrong));
    expect(wrong).toHaveLength(22);
  });
});
