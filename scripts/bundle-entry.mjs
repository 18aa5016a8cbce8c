/**
 * `npm run build`, after tsc: bundles `run` into two CommonJS files (src/cli/entry.ts says
 * why): dist/cli/entry.cjs, its start, which bin/mcp-codegen.js loads first, and
 * dist/cli/run.cjs, the rest, which entry.cjs compiles from V8's code cache. Packages stay
 * outside them (required from node_modules as they are); our own modules go in, each keeping
 * the `import.meta.url` of its file in dist/, which is what it finds its neighbours by
 * (`./child/runtime.js`, `../package.json`).
 */
import { build, transform } from "esbuild";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

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

for (const [entry, name] of [
  ["src/cli/entry.ts", "entry.cjs"],
  ["src/cli/run-entry.ts", "run.cjs"],
]) {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.join(outDir, name),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // Required from node_modules: a bundle must not carry a second copy of a dependency.
    packages: "external",
    plugins: [importMetaOfDistFile],
    logLevel: "warning",
    // An `import.meta` the plugin missed would be esbuild's empty stand-in: fail the build.
    logOverride: { "empty-import-meta": "error" },
    metafile: true,
  });
  // run.cjs is compiled through vm.Script, whose `import()` has no loader: a package or URL
  // imported by name must go through src/import-external.ts instead.
  for (const output of Object.values(metafile.outputs)) {
    const named = output.imports.filter((i) => i.kind === "dynamic-import" && i.external);
    if (named.length > 0) {
      throw new Error(
        `${name}: import() of ${named.map((i) => i.path).join(", ")}: use importExternal (src/import-external.ts)`,
      );
    }
  }
}
