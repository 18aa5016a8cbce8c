/**
 * Prettier in-process with options pinned here, so that the output does not depend on any
 * `.prettierrc` in the user's project: same input, byte-identical files everywhere.
 */
import type { Options } from "prettier";

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

/** Formats one file's source. Prettier is imported on first use: unchanged runs never pay for it. */
export async function formatSource(source: string, parser: Parser): Promise<string> {
  prettier ??= import("prettier");
  const { format } = await prettier;
  return format(source, { ...PINNED, parser });
}
