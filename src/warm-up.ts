/**
 * While the servers boot (server-everything takes ~350 ms to answer), this process has little
 * to do, and the phases after the listing would then run cold: the first call of each costs
 * several times the next (data tables to load, the JIT). So a made-up server of one tool goes
 * through model, emit and format meanwhile, and what it renders is thrown away. The phases keep
 * nothing between calls but the libraries they loaded, so the tree comes out byte for byte the
 * same (a test holds it to that).
 */
import { emit } from "./emit/emit.js";
import { formatTree } from "./format/tree.js";
import type { ServerSnapshot } from "./introspect/snapshot.js";
import { buildModel } from "./model/build.js";
import { GENERATOR_VERSION } from "./version.js";

/** Shaped as tools usually are: a described input of a few kinds, and an output. */
const WARM_SERVER: ServerSnapshot = {
  name: "warm-up",
  info: { name: "warm-up", version: "0.0.0" },
  tools: [
    {
      name: "search_items",
      description: "Finds the items that match a query.\n\nReturns at most `limit` of them.",
      inputSchema: {
        type: "object",
        properties: {
          query: { type: "string", description: "Words to match." },
          limit: { type: "integer", minimum: 1, description: "How many to return." },
          kinds: { type: "array", items: { type: "string", enum: ["a", "b"] } },
          filter: { type: "object", properties: { since: { type: "string" } } },
        },
        required: ["query"],
      },
      outputSchema: {
        type: "object",
        properties: { items: { type: "array", items: { type: "object" } } },
      },
    },
  ],
  skipped: [],
};

/**
 * Warms the phases one after the other until `listed()` says the servers have answered; the
 * phase under way then finishes, and none starts after it. Never rejects.
 */
export async function warmUpPhases(listed: () => boolean): Promise<void> {
  try {
    if (listed()) return;
    const model = buildModel([WARM_SERVER]);
    if (listed()) return;
    const emitted = await emit(model, { generatorVersion: GENERATOR_VERSION });
    if (listed()) return;
    await formatTree(emitted);
  } catch {
    // Only a warm-up: the real run meets (and reports) whatever failed here.
  }
}
