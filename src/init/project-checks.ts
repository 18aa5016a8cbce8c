/**
 * What a project needs so that a program imports the stubs the same way under `run`, under tsx
 * and in an editor: relative imports (`./servers/<server>/index.js`) work in all three once
 * the project is ES modules with top-level await and resolves `mcp-codegen/runtime` through
 * the package's `exports`. These checks say what to change; `init` never edits these files.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type ts from "typescript";
import { isRecord } from "../plain-json.js";

/** Lines of advice for the tsconfig at `file`; none when it has what programs need. */
export function tsconfigAdvice(typescript: typeof ts, file: string, shown: string): string[] {
  const { ModuleKind, ModuleResolutionKind, ScriptTarget } = typescript;
  const read = typescript.readConfigFile(file, typescript.sys.readFile);
  if (read.error !== undefined) {
    const reason = typescript.flattenDiagnosticMessageText(read.error.messageText, " ");
    return [`${shown}: could not be read (${reason}), so it was not checked`];
  }
  const { options } = typescript.parseJsonConfigFileContent(
    read.config,
    typescript.sys,
    path.dirname(file),
  );
  const { target, module, resolution } = effectiveOptions(typescript, options);
  const advice: string[] = [];
  const byExports = [
    ModuleResolutionKind.Node16,
    ModuleResolutionKind.NodeNext,
    ModuleResolutionKind.Bundler,
  ];
  if (!byExports.includes(resolution)) {
    advice.push(
      `${shown}: module resolution is ${ModuleResolutionKind[resolution]}; set "module" and "moduleResolution" to "NodeNext" (or "moduleResolution" to "Bundler"), else the stubs' import of mcp-codegen/runtime does not resolve`,
    );
  }
  const awaitModules = [
    ModuleKind.ES2022,
    ModuleKind.ESNext,
    ModuleKind.System,
    ModuleKind.Node16,
    ModuleKind.Node18,
    ModuleKind.Node20,
    ModuleKind.NodeNext,
    ModuleKind.Preserve,
  ];
  if (!awaitModules.includes(module) || target < ScriptTarget.ES2017) {
    advice.push(
      `${shown}: top-level await, which programs use, needs "module" NodeNext, ES2022, ESNext or Preserve and "target" ES2017 or later (now ${ModuleKind[module]} and ${ScriptTarget[target]})`,
    );
  }
  return advice;
}

/** Target, module and module resolution as the compiler takes them, its defaults included. */
function effectiveOptions(typescript: typeof ts, options: ts.CompilerOptions) {
  const { ModuleKind: Kind, ModuleResolutionKind: Resolution, ScriptTarget: Target } = typescript;
  const byModule = (module: ts.ModuleKind | undefined): ts.ScriptTarget => {
    if (module === Kind.Node16 || module === Kind.Node18) return Target.ES2022;
    if (module === Kind.Node20) return Target.ES2023;
    return module === Kind.NodeNext ? Target.ESNext : Target.ES5;
  };
  const target = options.target ?? byModule(options.module);
  const module = options.module ?? (target >= Target.ES2015 ? Kind.ES2015 : Kind.CommonJS);
  const byKind = (): ts.ModuleResolutionKind => {
    if (module === Kind.CommonJS) return Resolution.Node10;
    if (module === Kind.Node16 || module === Kind.Node18 || module === Kind.Node20)
      return Resolution.Node16;
    if (module === Kind.NodeNext) return Resolution.NodeNext;
    return module === Kind.Preserve ? Resolution.Bundler : Resolution.Classic;
  };
  return { target, module, resolution: options.moduleResolution ?? byKind() };
}

/**
 * Advice for the nearest package.json above `dir`: tsx and the compiler treat `.ts` files as
 * CommonJS unless it says `"type": "module"`, and then top-level await and the ES-module-only
 * runtime fail (`run` bundles programs itself and works either way).
 */
export function packageJsonAdvice(dir: string): string[] {
  const fix = "`npm pkg set type=module`";
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const file = path.join(at, "package.json");
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      if (path.dirname(at) === at) {
        return [
          `no package.json: create one with \`npm init -y && npm pkg set type=module\` (programs and the stubs are ES modules)`,
        ];
      }
      continue;
    }
    const shown = path.relative(dir, file);
    let type: unknown;
    try {
      const data: unknown = JSON.parse(text);
      type = isRecord(data) ? data.type : undefined;
    } catch {
      return [`${shown}: not valid JSON, so it was not checked`];
    }
    if (type === "module") return [];
    const now = type === undefined ? "has no" : `has "type": ${JSON.stringify(type)}, not`;
    return [
      `${shown} ${now} "type": "module": run ${fix}, else tsx and your editor take programs and the stubs for CommonJS, where top-level await and mcp-codegen/runtime fail`,
    ];
  }
}
