/**
 * What the tree-wide files (catalog, root barrel, manifest) need to know about a server. Built
 * from the model for servers generated now, and from the previous manifest for servers that
 * failed in a `--partial` run and keep their old files.
 */
import type { ServerModel } from "../model/types.js";

export interface ServerOutline {
  readonly name: string;
  readonly dir: string;
  readonly namespace: string;
  readonly info: { readonly name: string; readonly version: string; readonly title?: string };
  readonly instructions: string;
  readonly tools: ReadonlyArray<{
    readonly wireName: string;
    readonly identifier: string;
    readonly summary: string;
  }>;
}

export function outlineServer(server: ServerModel): ServerOutline {
  return {
    name: server.name,
    dir: server.dir,
    namespace: server.namespace,
    info: server.info,
    instructions: server.instructions,
    tools: server.tools.map(({ wireName, identifier, summary }) => ({
      wireName,
      identifier,
      summary,
    })),
  };
}

/** `Everything Reference Server 2.0.0`: what a server calls itself, and its version. */
export function serverAbout(info: ServerOutline["info"]): string {
  return [info.title ?? info.name, info.version].filter(Boolean).join(" ");
}
