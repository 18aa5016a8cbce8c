/**
 * The program's bundle as a CommonJS module exporting an async function (program-module.ts):
 * esbuild's one export statement becomes the call handing the exports on, live.
 */
import { describe, expect, it } from "vitest";
import { endProgramModule, PROGRAM_MODULE_START } from "../../src/runner/program-module.js";

const MAP = "\n//# sourceMappingURL=data:application/json;base64,e30=\n";

/** Runs the module's text as Node would a CommonJS file, and returns what it handed on. */
async function run(code: string): Promise<Record<string, unknown> | undefined> {
  const module = { exports: undefined as unknown };
  new Function("module", "require", "__filename", "__dirname", code)(
    module,
    () => ({ pathToFileURL: (file: string) => new URL(`file://${file}`) }),
    "/sandbox/program.cjs",
    "/sandbox",
  );
  let handed: Record<string, unknown> | undefined;
  // Called as the bootstrap calls it: `require(…)(exportsTo)`, with no `this`.
  const program = module.exports as (to: (e: Record<string, unknown>) => void) => Promise<void>;
  await program((exports) => (handed = exports));
  return handed;
}

describe("endProgramModule", () => {
  it("hands on the exports by their exported names, as live bindings", async () => {
    const esbuild = `let count=1;var main_default=()=>count;count=await Promise.resolve(2);export{count,main_default as default};${MAP}`;
    const text = endProgramModule(PROGRAM_MODULE_START + esbuild);
    expect(text.endsWith(MAP)).toBe(true);
    const exports = await run(text);
    expect(Object.keys(exports!)).toEqual(["count", "default"]);
    expect((exports!.default as () => number)()).toBe(2);
  });

  it("reads names that are strings, commas and braces in them, as esbuild writes them", async () => {
    const esbuild = `var x=1;function main_default(){return 2}export{x as"a, b",x as"c{d}",x as "e\\"f",main_default as default};${MAP}`;
    const exports = await run(endProgramModule(PROGRAM_MODULE_START + esbuild));
    expect(exports).toEqual({ "a, b": 1, "c{d}": 1, 'e"f': 1, default: expect.any(Function) });
  });

  it("lets the program declare the names the function uses, which its own shadow", async () => {
    const esbuild = `const __mcpCodegenExports=1,__mcpCodegenImportMeta=2,mcpCodegenProgram=3;var exportsTo=4;export{__mcpCodegenExports as a,__mcpCodegenImportMeta as b,mcpCodegenProgram as c,exportsTo as d};${MAP}`;
    expect(await run(endProgramModule(PROGRAM_MODULE_START + esbuild))).toEqual({
      a: 1,
      b: 2,
      c: 3,
      d: 4,
    });
  });

  it("ends a module without exports, which hands on nothing", async () => {
    const text = endProgramModule(`${PROGRAM_MODULE_START}console.log;${MAP}`);
    expect(await run(text)).toBeUndefined();
  });

  it("gives the program import.meta of its file, in strict mode", async () => {
    const text = endProgramModule(
      `${PROGRAM_MODULE_START}var meta={url:__mcpCodegenImportMeta.url,strict:this===undefined};export{meta};${MAP}`,
    );
    expect((await run(text))!.meta).toEqual({ url: "file:///sandbox/program.cjs", strict: true });
  });

  it("refuses an ending esbuild does not write", () => {
    expect(() => endProgramModule("export default 1;")).toThrow(/does not end as esbuild/);
    expect(() => endProgramModule(`export{a.b};${MAP}`)).toThrow(/exports a\.b/);
  });
});
