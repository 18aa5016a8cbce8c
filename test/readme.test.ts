/**
 * README's sample of a generated tool file is the real thing: it starts with the header every
 * generated file starts with, and it is, byte for byte, the committed file of the tool it shows
 * (which `mcp-codegen check`, in `npm test`, keeps in step with that server).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { HEADER } from "../src/emit/header.js";
import { REPO } from "./emit/tree.js";

const INTRO = "A generated tool file reads like hand-written code:";
/** The file the sample shows: server `everything`, tool `get-structured-content`. */
const SHOWN = "out/servers/everything/getStructuredContent.ts";

/** The first ```ts block after the sentence that introduces the sample. */
function readmeSample(): string {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const at = readme.indexOf(INTRO);
  expect(at, `README.md no longer says "${INTRO}"`).toBeGreaterThanOrEqual(0);
  const block = /```ts\n([\s\S]*?)```\n/.exec(readme.slice(at));
  expect(block, "no ```ts block follows the sentence").not.toBeNull();
  return block![1]!;
}

describe("README's sample of a generated file", () => {
  it("starts with the generator's header line", () => {
    expect(readmeSample().split("\n")[0]).toBe(HEADER);
  });

  it(`is ${SHOWN} as generated`, () => {
    expect(readmeSample()).toBe(readFileSync(path.join(REPO, SHOWN), "utf8"));
  });
});
