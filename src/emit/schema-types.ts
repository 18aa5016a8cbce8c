/**
 * The types of one tool, compiled by json-schema-to-typescript from the model's types document.
 * `assertTypesOnly` then proves the result is type declarations and nothing else: erasing the
 * types must leave no JavaScript at all. That is the last line of defence that nothing a server
 * sends can become code.
 */
import type { JSONSchema4 } from "json-schema";
import { typesDocumentNames } from "../model/schema/types-document.js";
import { escapeUnsafeCharacters } from "../model/text.js";
import { mergeTypesDocuments, splitDeclarations, type TypesJob } from "./compile-batch.js";
import type { Declaration } from "./declarations.js";
import { importExternal } from "../import-external.js";

// Frozen: formatting is prettier's job later, no banner, and `$ref`s are never resolved to a file
// or a URL (the model has already reduced them to local pointers; this is the second lock).
const COMPILE_OPTIONS = Object.freeze({
  bannerComment: "",
  format: false,
  additionalProperties: false,
  declareExternallyReferenced: true,
  unreachableDefinitions: false,
  strictIndexSignatures: false,
  ignoreMinAndMaxItems: true,
  maxItems: -1,
  unknownAny: true,
  enableConstEnums: false,
  inferStringEnumKeysFromValues: false,
  cwd: "/nonexistent",
  $refOptions: Object.freeze({
    resolve: Object.freeze({ file: false, http: false, external: false }),
  }),
});

let compiler: Promise<typeof import("json-schema-to-typescript")> | undefined;
let esbuild: Promise<typeof import("esbuild")> | undefined;

/** Starts loading the type compiler and esbuild now, to overlap with waiting for the servers. */
export function preloadCompiler(): void {
  // Loaded and used once: a compiler's first call costs ~100 ms more than the next (its schema
  // parser's caches, the JIT), and esbuild's first transform starts its service process.
  compiler ??= import("json-schema-to-typescript").then(async (loaded) => {
    await loaded.compile({ type: "object" }, "Warm", COMPILE_OPTIONS).catch(() => "");
    return loaded;
  });
  esbuild ??= importExternal<typeof import("esbuild")>("esbuild").then(async (loaded) => {
    await loaded.transform("", { loader: "ts" }).catch(() => undefined);
    return loaded;
  });
}

/**
 * The declarations of each tool's types document (`<T>Input`, `<T>Output` and their nested
 * types, in the compiler's order), compiled in one call for the whole batch. A batch the
 * compiler rejects, or whose output cannot be split, is compiled tool by tool, so that a bad
 * schema fails only its own tool.
 */
export async function compileTypes(
  jobs: readonly TypesJob[],
): Promise<Array<readonly Declaration[] | Error>> {
  compiler ??= import("json-schema-to-typescript");
  const { compile } = await compiler;
  const { schema, prefixes, root } = mergeTypesDocuments(jobs);
  const standIn = !JSON.stringify(schema).includes(OWN_KEY_STAND_IN) && replaceOwnKey(schema);
  let declarations: Declaration[][];
  try {
    let code = await compile(schema as JSONSchema4, root, COMPILE_OPTIONS);
    if (standIn) code = code.replaceAll(OWN_KEY_STAND_IN, "hasOwnProperty");
    declarations = await splitDeclarations(code, root, prefixes);
  } catch (error) {
    if (jobs.length === 1) return [error instanceof Error ? error : new Error(String(error))];
    return (await Promise.all(jobs.map((job) => compileTypes([job])))).flat();
  }
  return declarations.map((parts) =>
    parts.map(({ name, text }) => ({ name, text: escapeUnsafeCharacters(text) })),
  );
}

/** A tool's declarations as its file holds them: one blank line between each two. */
export function joinDeclarations(declarations: readonly Declaration[]): string {
  return declarations.map((d) => d.text).join("\n\n");
}

// The compiler calls `node.hasOwnProperty(…)` on every object of the schema, `properties` maps
// included, so a property named `hasOwnProperty` crashes it. Such a property is compiled under
// a stand-in name (an identifier, so it is written bare) and renamed back in the output.
const OWN_KEY_STAND_IN = "McpCodegenHasOwnPropertyStandIn";

/** Renames every `hasOwnProperty` property (and its `required` entry); true if there was one. */
function replaceOwnKey(node: unknown): boolean {
  if (typeof node !== "object" || node === null) return false;
  let found = false;
  for (const value of Object.values(node)) found = replaceOwnKey(value) || found;
  const schema = node as Record<string, unknown>;
  const properties = schema.properties;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    return found;
  }
  if (!Object.hasOwn(properties, "hasOwnProperty")) return found;
  schema.properties = Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [
      key === "hasOwnProperty" ? OWN_KEY_STAND_IN : key,
      value,
    ]),
  );
  if (Array.isArray(schema.required)) {
    schema.required = schema.required.map((r) => (r === "hasOwnProperty" ? OWN_KEY_STAND_IN : r));
  }
  return true;
}

/**
 * Which of `sources` erase to nothing (true) and which would leave code behind or do not parse
 * (false). All are checked in one esbuild call; only when that fails are they checked one by one.
 */
export async function assertTypesOnly(sources: readonly string[]): Promise<boolean[]> {
  if (sources.length === 0) return [];
  esbuild ??= importExternal("esbuild");
  const { transform } = await esbuild;
  const erasesToNothing = async (source: string) => {
    try {
      const result = await transform(source, {
        loader: "ts",
        legalComments: "none",
        format: "esm",
      });
      return result.code.trim() === "";
    } catch {
      return false;
    }
  };
  if (await erasesToNothing(sources.join("\n"))) return sources.map(() => true);
  return Promise.all(sources.map(erasesToNothing));
}

/** What a tool gets when its schema could not be compiled: loose but honest types. */
export function fallbackToolTypes(typeName: string, hasOutput: boolean): Declaration[] {
  const names = typesDocumentNames(typeName);
  const loose = (name: string) => ({
    name,
    text: `export interface ${name} {\n  [key: string]: unknown;\n}`,
  });
  return hasOutput ? [loose(names.input), loose(names.output)] : [loose(names.input)];
}
