/** `servers/index.ts`: one namespace per server. */
import { HEADER, stringLiteral } from "./header.js";
import type { ServerOutline } from "./outline.js";

export function renderRootIndex(servers: readonly ServerOutline[]): string {
  const lines = servers.map(
    (server) =>
      `export * as ${server.namespace} from ${stringLiteral(`./${server.dir}/index.js`)};`,
  );
  if (lines.length === 0) lines.push("export {};");
  return `${HEADER}\n${lines.join("\n")}\n`;
}
