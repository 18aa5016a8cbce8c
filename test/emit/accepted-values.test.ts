/**
 * The rule the generated types keep: every value a tool's schema accepts type-checks against
 * the tool's `Input` type, and every structured content its `outputSchema` accepts against its
 * `Output` type. Tested as a property over every tool of the official servers and the fixture
 * servers (listed live, as `generate` lists them) and of the snapshot fixtures: seeded values
 * from json-schema-faker that Ajv accepts (`sample-values.ts`), written as
 * `const v: Input = <value>;` lines into one file beside the generated tree and checked in one
 * `tsc --strict` program.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import { introspect } from "../../src/introspect/introspect.js";
import { readSnapshotFile } from "../../src/introspect/snapshot-file.js";
import type { JsonObject, ServerSnapshot, ToolDefinition } from "../../src/introspect/snapshot.js";
import { DEFAULT_LIMITS } from "../../src/model/schema/limits.js";
import type { GenerateResult } from "../../src/generate.js";
import { FEATURES, generateFrom, REPO, SNAPSHOTS } from "./tree.js";
import { sampleValues, toLiteral } from "./sample-values.js";

const require = createRequire(import.meta.url);

/** Values per schema. */
const PER_SCHEMA = 8;

/** Schemas no value of which can be judged (the generated types say unknown or any object). */
const UNSAMPLEABLE: Readonly<Record<string, string>> = {
  "flaky/bad_schema output": "a dangling $ref: no validator compiles it",
  "hostile/dangling_ref input": "a dangling $ref: no validator compiles it",
  "hostile/file_ref input": "a file $ref, never resolved",
  "hostile/remote_ref input": "a remote $ref, never resolved",
  "hostile/many_properties input": "over the property cap: typed as a record, any object fits",
  "limits.limits/many_properties input":
    "over the property cap: typed as a record, any object fits",
};

/** Whether the model types `schema` as a record of unknown for its number of properties. */
function overPropertyCap(schema: JsonObject): boolean {
  const properties = schema.properties;
  const count = properties && typeof properties === "object" ? Object.keys(properties).length : 0;
  return count > DEFAULT_LIMITS.maxProperties;
}

interface Check {
  /** `server/tool input` or `server/tool output`. */
  readonly label: string;
  readonly line: string;
  /** Whether the value holds keys its schema does not name (checked as a value, see below). */
  readonly undeclaredKeys?: boolean;
}

/**
 * A value with keys its schema does not name, where the schema allows them, is checked as a
 * value of its own type (`value(…)`): an object literal also gets TypeScript's excess-property
 * check, a typo guard the generated types keep on purpose (see ARCHITECTURE.md). Two probes
 * show that `value` keeps literal types and mutable arrays, and only drops that check.
 */
const PRELUDE = [
  "type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };",
  "declare function value<const T>(literal: T): Mutable<T>;",
  'export const probeExtraKey: { mode: "a"; list: string[] } = value({ mode: "a", list: ["x"], more: 1 });',
  'export const probeWrongLiteral: { mode: "a"; list: string[] } = value({ mode: "b", list: ["x"] });',
];
const PROBE_LINES = { extraKey: 2, wrongLiteral: 3 };

/** An official server from devDependencies, started with node (npx costs ~0.5 s a server). */
function official(name: string, ...args: string[]) {
  const manifest = require.resolve(`@modelcontextprotocol/${name}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> };
  const entry = path.join(path.dirname(manifest), Object.values(bin)[0]!);
  return { command: process.execPath, args: [entry, ...args] };
}

const fixture = (name: string) => ({
  command: process.execPath,
  args: [path.join(REPO, "fixtures/servers", `${name}.mjs`)],
});

/** Every tool of the official and the fixture servers, listed live, then the snapshot fixtures'. */
async function allServers(): Promise<ServerSnapshot[]> {
  const config = resolveConfig(
    {
      servers: {
        everything: official("server-everything", "stdio"),
        memory: official("server-memory"),
        filesystem: official("server-filesystem", path.join(REPO, "fixtures/files")),
        schemas: fixture("schemas"),
        names: fixture("names"),
        hostile: fixture("hostile"),
        flaky: fixture("flaky"),
      },
    },
    { root: REPO, cwd: REPO, env: {} },
  );
  const live = await introspect(config.servers, { concurrency: 8 });
  expect(live.failures.map((f) => f.message)).toEqual([]);
  const servers = [...live.snapshots];
  for (const feature of FEATURES) {
    const snapshot = await readSnapshotFile(path.join(SNAPSHOTS, `${feature}.json`));
    // A fixture's server may have a live one's name (`hostile`): the feature tells them apart.
    for (const server of snapshot.servers) {
      servers.push({ ...server, name: `${feature}.${server.name}` });
    }
  }
  return servers;
}

/** The lines that check a tool's sampled values, and one control line for each schema. */
function checksOf(servers: readonly ServerSnapshot[], model: GenerateResult["model"]) {
  const definitions = new Map(
    servers.flatMap((s) =>
      s.tools.map((t): [string, ToolDefinition] => [`${s.name}/${t.name}`, t]),
    ),
  );
  const imports: string[] = [];
  const checks: Check[] = [];
  const controls: Check[] = [];
  const unsampleable: string[] = [];
  let dropped = 0;
  for (const server of model.servers) {
    for (const tool of server.tools) {
      const id = `${server.name}/${tool.wireName}`;
      const definition = definitions.get(id)!;
      const alias = `T${imports.length}`;
      imports.push(
        `import type * as ${alias} from "./servers/${server.dir}/${tool.identifier}.js";`,
      );
      const schemas: Array<[string, JsonObject | undefined, string]> = [
        ["input", definition.inputSchema, `${tool.typeName}Input`],
        ["output", definition.outputSchema, `${tool.typeName}Output`],
      ];
      for (const [kind, schema, type] of schemas) {
        if (!schema) continue;
        const label = `${id} ${kind}`;
        // Thousands of properties take seconds to sample and validate, and prove nothing: the
        // type is a record of unknown.
        const samples = overPropertyCap(schema)
          ? { values: [], dropped: 0, unsampleable: "over the property cap" }
          : sampleValues(schema, label, PER_SCHEMA);
        dropped += samples.dropped;
        if (samples.unsampleable) unsampleable.push(label);
        for (const { value, undeclaredKeys } of samples.values) {
          const literal = toLiteral(value);
          const expression = undeclaredKeys ? `value(${literal})` : literal;
          const line = `export const v${checks.length}: ${alias}.${type} = ${expression};`;
          checks.push({ label, line, undeclaredKeys });
        }
        // A control: every input and output is an object, so no type may accept null. (Not a
        // number: `42` has a `toString`, which an all-optional type with an optional
        // `toString` property admits.)
        const control = `export const c${controls.length}: ${alias}.${type} = null;`;
        controls.push({ label, line: control });
      }
    }
  }
  return { imports, checks, controls, unsampleable, dropped };
}

/** `source` type-checked as `accepted.ts` beside the generated tree in `dir`, in one program. */
function typeCheck(dir: string, source: string): ts.Diagnostic[] {
  writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
  // The runtime's own types do not matter here, only the tools' Input and Output types.
  writeFileSync(
    path.join(dir, "runtime.d.ts"),
    "export declare function callMcpTool<T>(...args: unknown[]): Promise<T>;\n" +
      "export interface CallOptions { readonly timeout?: number }\n" +
      "export declare class ContentResult { readonly text: string }\n",
  );
  writeFileSync(path.join(dir, "accepted.ts"), source);
  const program = ts.createProgram([path.join(dir, "accepted.ts")], {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    verbatimModuleSyntax: true,
    paths: { "mcp-codegen/runtime": [path.join(dir, "runtime.d.ts")] },
  });
  file = program.getSourceFile(path.join(dir, "accepted.ts"))!;
  return [...ts.getPreEmitDiagnostics(program, file)];
}

let result: GenerateResult;
let checks: Check[];
let controls: Check[];
let unsampleable: string[];
let diagnostics: readonly ts.Diagnostic[];
/** Lines of `accepted.ts`: the prelude, then the checks, then the controls. */
let firstCheck: number;
let file: ts.SourceFile;

beforeAll(async () => {
  const ms: Record<string, number> = {};
  let start = performance.now();
  const lap = (phase: string) => {
    ms[phase] = Math.round(performance.now() - start);
    start = performance.now();
  };
  const servers = await allServers();
  lap("list");
  const generated = await generateFrom({ snapshotVersion: 1, servers });
  result = generated.result;
  lap("generate");
  const made = checksOf(servers, result.model);
  ({ checks, controls, unsampleable } = made);
  lap("sample");
  const prelude = [...made.imports, ...PRELUDE];
  firstCheck = prelude.length;
  const lines = [...prelude, ...checks.map((c) => c.line), ...controls.map((c) => c.line), ""];
  diagnostics = typeCheck(generated.outDir, lines.join("\n"));
  lap("typecheck");
  console.info(
    `accepted values: ${checks.length} values of ${controls.length} schemas, ` +
      `${made.dropped} dropped; ms ${JSON.stringify(ms)}`,
  );
}, 120_000);

/** The line of `accepted.ts` a diagnostic is on. */
function lineOf(diagnostic: ts.Diagnostic): number {
  return file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
}

describe("every value a tool's schema accepts type-checks against its generated type", () => {
  it("samples every tool of every source, several values each, without falling back", () => {
    expect(result.failures).toEqual([]);
    expect(result.warnings.filter((w) => w.message.startsWith("types fell back"))).toEqual([]);
    const tools = result.model.servers.flatMap((s) => s.tools);
    expect(tools.length).toBeGreaterThan(150);
    expect(unsampleable.sort()).toEqual(Object.keys(UNSAMPLEABLE).sort());
    // Each schema that can be sampled gave at least one value the validator accepts.
    const sampled = new Set(checks.map((c) => c.label));
    const empty = controls.map((c) => c.label).filter((label) => !sampled.has(label));
    expect(empty.sort()).toEqual(Object.keys(UNSAMPLEABLE).sort());
    expect(checks.length).toBeGreaterThan(controls.length * 5);
    const withUndeclared = checks.filter((c) => c.undeclaredKeys && c.line.includes('"prop'));
    expect(withUndeclared.length).toBeGreaterThan(100);
  });

  it("has no type error on any line but the controls' and the wrong probe's", () => {
    const firstControl = firstCheck + checks.length;
    const wrongProbe = firstCheck - PRELUDE.length + PROBE_LINES.wrongLiteral;
    const failures = diagnostics
      .filter((d) => lineOf(d) < firstControl && lineOf(d) !== wrongProbe)
      .map((d) => {
        const check = checks[lineOf(d) - firstCheck];
        const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
        return `${check?.label ?? `line ${lineOf(d) + 1}`}: ${message}\n  ${check?.line ?? ""}`;
      });
    expect(failures.join("\n")).toBe("");
  });

  it("refuses a value no schema accepts, on every type (the types are real)", () => {
    const firstControl = firstCheck + checks.length;
    const refused = new Set(diagnostics.map(lineOf));
    const accepted = controls.filter((_, i) => !refused.has(firstControl + i)).map((c) => c.label);
    expect(accepted).toEqual([]);
    expect(refused.has(firstCheck - PRELUDE.length + PROBE_LINES.wrongLiteral)).toBe(true);
  });
});
