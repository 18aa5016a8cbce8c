import { readFileSync } from "node:fs";

/** The generator's version, from its own package.json (recorded in every manifest). */
export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/**
 * The version of what the generator writes. Bump it with any change that alters a generated
 * file: cached tool files and formatted sources are reused only under the same render version
 * (see `RENDER_SALT`), so a changed emitter never leaves stale files behind. A refactor, a comment
 * or a release that leaves the output as it is keeps it, and with it every user's cache and
 * manifest. `test/version.test.ts` holds it to the goldens: they cannot change while it stays.
 */
export const RENDER_VERSION = 3;

/** What render keys are salted with: the render version, never the generator's source. */
export const RENDER_SALT = `render-${RENDER_VERSION}`;
