/**
 * `npm run build`, after tsc: bundles the CLI into three CommonJS files (src/cli/entry.ts says
 * why): dist/cli/entry.cjs, the start of every command, which bin/mcp-codegen.js loads first;
 * dist/cli/run.cjs, the rest of `run`; and dist/cli/cli.cjs, every other command. entry.cjs
 * compiles the other two from V8's code cache. Our own modules go in, each keeping the
 * `import.meta.url` of its file in dist/, which is what it finds its neighbours by
 * (`./child/runtime.js`, `../package.json`).
 *
 * Packages stay outside entry.cjs and run.cjs (required from node_modules as they are: `run`
 * loads few). cli.cjs carries the packages it imports but those in CLI_EXTERNAL: most of a
 * command's start-up was Node loading them module by module.
 */
import { build, transform } from "esbuild";
import { isAscii } from "node:buffer";
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseSync } from "oxc-parser";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = path.join(root, "src");
const outDir = path.join(root, "dist/cli");

/**
 * Each module's `import.meta.url` and `import.meta.resolve`, as they are for its file in
 * dist/. Through esbuild's `define`, which replaces expressions only: the same words inside a
 * string (the sandbox's bootstrap is one) stay as they are.
 */
const importMetaOfDistFile = {
  name: "import-meta-of-dist-file",
  setup(on) {
    on.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const source = await readFile(file, "utf8");
      if (!file.startsWith(src + path.sep) || !source.includes("import.meta")) {
        return { contents: source, loader: "ts" };
      }
      const distFile = path
        .relative(outDir, path.join(root, "dist", path.relative(src, file)))
        .replace(/\.ts$/, ".js");
      const { code } = await transform(source, {
        loader: "ts",
        format: "esm",
        sourcefile: file,
        define: {
          "import.meta.url": "__mcpCodegenModuleUrl",
          "import.meta.resolve": "__mcpCodegenModuleResolve",
        },
        logLevel: "silent",
      });
      const url = `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(distFile)})).href`;
      return {
        contents: `const __mcpCodegenModuleUrl = ${url};
const __mcpCodegenModuleResolve = (specifier) => require("node:url").pathToFileURL(require("node:module").createRequire(__mcpCodegenModuleUrl).resolve(specifier)).href;
${code}`,
        loader: "js",
      };
    });
  },
};

/**
 * Packages cli.cjs requires from node_modules rather than carrying: native code (esbuild's
 * binary, oxc's), the loaders of users' code (tsx), and the big ones a command loads only
 * when it needs them (the TypeScript compiler, prettier and its plugin, the tokenizer's and
 * the phone numbers' data: 3 MB that every command would read).
 */
const CLI_EXTERNAL = [
  "esbuild",
  "tsx",
  "tsx/*",
  "typescript",
  "prettier",
  "prettier/*",
  "@prettier/plugin-oxc",
  "oxc-parser",
  "gpt-tokenizer",
  "gpt-tokenizer/*",
  "libphonenumber-js",
  "libphonenumber-js/*",
];

/**
 * What a package carried in cli.cjs may `import()` by name, never called on Node 20: the
 * import is there for Node before 18, which lacks `globalThis.crypto`.
 */
const UNREACHED_IMPORTS = new Set(["node_modules/pkce-challenge/dist/index.node.js > node:crypto"]);

/**
 * Packages whose `main` is a UMD file, which hands its `require` to a factory that esbuild
 * cannot follow (`require("./impl/format")` then looks beside the bundle): their ES build.
 */
const CLI_ALIASES = { "jsonc-parser": "jsonc-parser/lib/esm/main.js" };

const bundles = [
  { entry: "src/cli/entry.ts", name: "entry.cjs", packages: "external" },
  { entry: "src/cli/run-entry.ts", name: "run.cjs", packages: "external" },
  { entry: "src/cli/cli-entry.ts", name: "cli.cjs", external: CLI_EXTERNAL, alias: CLI_ALIASES },
];

for (const { entry, name, packages, external, alias } of bundles) {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.join(outDir, name),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    ...(packages ? { packages } : { external, alias }),
    plugins: [importMetaOfDistFile],
    logLevel: "warning",
    // An `import.meta` the plugin missed would be esbuild's empty stand-in: fail the build.
    logOverride: { "empty-import-meta": "error" },
    metafile: true,
  });
  await asciiOnly(path.join(outDir, name));
  // run.cjs and cli.cjs are compiled through vm.Script, whose `import()` has no loader: a
  // package or URL imported by name must go through src/import-external.ts instead.
  const named = Object.entries(metafile.inputs).flatMap(([input, { imports }]) =>
    imports
      .filter((i) => i.kind === "dynamic-import" && i.external)
      .map((i) => `${input} > ${i.path}`)
      .filter((pair) => !UNREACHED_IMPORTS.has(pair)),
  );
  if (named.length > 0) {
    throw new Error(`${name}: ${named.join(", ")}: use importExternal (src/import-external.ts)`);
  }
  await handsOnNoRequire(path.join(outDir, name));
}

/**
 * `require` passed to a function is a UMD factory's: what it requires there is not in the
 * bundle, and would be looked for beside it (see CLI_ALIASES).
 */
async function handsOnNoRequire(file) {
  const source = await readFile(file, "utf8");
  for (const node of nodesOf(parseSync(file, source).program, "CallExpression")) {
    if (node.arguments.some((a) => a.type === "Identifier" && a.name === "require")) {
      throw new Error(`${file}: \`require\` passed on: ${source.slice(node.start, node.end)}`);
    }
  }
}

/**
 * Makes the bundle ASCII, so that it reads as Latin-1 (cli/compiled-bundle.ts). esbuild
 * escapes what is not ASCII in strings, but leaves comments and regular expressions as they
 * are: there, `\uXXXX` for each UTF-16 unit means the same (with or without the `u` flag). In
 * a template's text it would not (a tag reads the raw text), so one there fails the build.
 */
async function asciiOnly(file) {
  const source = await readFile(file, "utf8");
  if (isAscii(Buffer.from(source))) return;
  const { program } = parseSync(file, source);
  for (const { start, end } of nodesOf(program, "TemplateElement")) {
    if (!isAscii(Buffer.from(source.slice(start, end)))) {
      throw new Error(`${file}: a template's text is not ASCII: ${source.slice(start, end)}`);
    }
  }
  const escaped = source.replace(
    /[^\0-\x7f]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  await writeFile(file, escaped);
}

/** Every node of `type` in an oxc AST. */
function* nodesOf(node, type) {
  if (Array.isArray(node)) {
    for (const item of node) yield* nodesOf(item, type);
  } else if (node !== null && typeof node === "object") {
    if (node.type === type) yield node;
    for (const value of Object.values(node))
      if (typeof value === "object") yield* nodesOf(value, type);
  }
}
