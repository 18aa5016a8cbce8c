/**
 * Server text becomes doc comments, never doc tags: `@deprecated`, `{@link …}` or `@param`
 * in a description must not change what an editor shows for the tool.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { emit } from "../../src/emit/emit.js";
import { formatTree } from "../../src/format/tree.js";
import { buildModel } from "../../src/model/build.js";

const TAGGED =
  "Does things. @deprecated use other {@link https://example.invalid} @param x\n@returns y";

describe("doc comments from server text", () => {
  it("carry no JSDoc tags, in tool files, summaries and types", async () => {
    const model = buildModel([
      {
        name: "tags",
        info: { name: "tags", version: "1" },
        tools: [
          {
            name: "tagged",
            title: "@deprecated title",
            description: TAGGED,
            inputSchema: {
              type: "object",
              properties: { a: { type: "string", description: TAGGED } },
            },
          },
        ],
        skipped: [],
      },
    ]);
    const { files } = await formatTree(await emit(model, { generatorVersion: "0.0.0-test" }));
    const sources = files.filter((f) => f.path.endsWith(".ts"));
    expect(sources.map((f) => f.path).sort()).toEqual([
      "index.ts",
      "tags/index.ts",
      "tags/summary.d.ts",
      "tags/tagged.ts",
    ]);
    for (const file of sources) {
      const source = ts.createSourceFile(file.path, file.contents, ts.ScriptTarget.Latest, true);
      const tags: string[] = [];
      const visit = (node: ts.Node) => {
        tags.push(...ts.getJSDocTags(node).map((tag) => tag.tagName.text));
        ts.forEachChild(node, visit);
      };
      visit(source);
      expect({ file: file.path, tags }).toEqual({ file: file.path, tags: [] });
    }
    const tool = files.find((f) => f.path === "tags/tagged.ts")!.contents;
    expect(tool).toContain(
      "Does things. \\@deprecated use other {\\@link https://example.invalid}",
    );
  });
});
