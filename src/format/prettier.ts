/**
 * Prettier in-process with options pinned here, so that the output does not depend on any
 * `.prettierrc` in the user's project: same input, byte-identical files everywhere.
 */
import type { Options } from "prettier";
import { importExternal } from "../import-external.js";

const PINNED: Options = Object.freeze({
  printWidth: 100,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
  proseWrap: "preserve",
});

type Parser = "typescript" | "markdown";

let prettier: Promise<typeof import("prettier")> | undefined;
let oxc: Promise<typeof import("@prettier/plugin-oxc")> | undefined;

/** Starts loading prettier and its parser now, to overlap with waiting for the servers. */
export function preloadFormatter(): void {
  if (prettier) return;
  prettier = importExternal("prettier");
  oxc = importExternal("@prettier/plugin-oxc");
  // One small file formatted now: prettier's first call costs more than the next (its plugin
  // set-up, the JIT), paid here while the servers start rather than after they answered.
  void formatSource("export const warm = 1;\n", "typescript").catch(() => undefined);
}

/**
 * Formats one file's source. Prettier is imported on first use: unchanged runs never pay for it.
 * TypeScript goes through prettier's oxc parser plugin: the same output as its `typescript`
 * parser (a golden test holds it to that) in about a third of the time.
 */
export async function formatSource(source: string, parser: Parser): Promise<string> {
  prettier ??= importExternal("prettier");
  const { format } = await prettier;
  if (parser === "markdown") return format(source, { ...PINNED, parser });
  oxc ??= importExternal("@prettier/plugin-oxc");
  // A module file name spares the plugin from trying other source types and JSX first.
  return format(source, {
    ...PINNED,
    parser: "oxc-ts",
    plugins: [await oxc],
    filepath: "file.mts",
  });
}

/** Files formatted per prettier call: large enough to amortise its per-call cost, small enough to retry cheaply. */
const BATCH_SIZE = 16;

/**
 * Formats many TypeScript sources, giving the same result as `formatSource` on each. Prettier's
 * fixed cost per call is about half of the time for a small file, so files are joined in
 * batches with a marker comment between them and split again afterwards. Markers stand alone at
 * column 0, where no generated file has a line comment; a batch whose split does not come out
 * right is formatted file by file instead.
 */
export async function formatSources(sources: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let start = 0; start < sources.length; start += BATCH_SIZE) {
    const batch = sources.slice(start, start + BATCH_SIZE);
    out.push(...(await formatBatch(batch)));
  }
  return out;
}

async function formatBatch(batch: readonly string[]): Promise<string[]> {
  if (batch.length === 1) return [await formatSource(batch[0]!, "typescript")];
  const marker = `// mcp-codegen:${Math.random().toString(36).slice(2)}:`;
  const joined = batch.map((source, i) => `${marker}${i}\n${source}`).join("\n");
  try {
    const formatted = await formatSource(joined, "typescript");
    const parts = formatted.split(new RegExp(`^${escapeRegExp(marker)}\\d+\\n`, "m"));
    if (parts.shift() === "" && parts.length === batch.length) {
      return parts.map((part) => `${part.replace(/\n+$/, "")}\n`);
    }
  } catch {
    // One file does not parse: format them one by one so that only that one fails.
  }
  return Promise.all(batch.map((source) => formatSource(source, "typescript")));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
