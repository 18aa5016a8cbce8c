/**
 * Type-checks a user's config as their editor would: `tsc --strict` with NodeNext resolution,
 * `resolveJsonModule`, and `mcp-codegen` resolved as an installed package (this repo, by its
 * own name, from a folder under it: the built `dist/` declarations).
 */
import * as path from "node:path";
import ts from "typescript";

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  resolveJsonModule: true,
  types: [],
};

/** Each error as `file(line,col): message`, the file relative to `dir`; none when it checks. */
export function typeErrors(dir: string, files: readonly string[]): string[] {
  const program = ts.createProgram(
    files.map((file) => path.join(dir, file)),
    OPTIONS,
  );
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file === undefined || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(dir, d.file.fileName)}(${line + 1},${character + 1}): ${text}`;
  });
}
