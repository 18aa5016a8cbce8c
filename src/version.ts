import { readFileSync } from "node:fs";

/** The generator's version, from its own package.json (recorded in every manifest). */
export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;
