/**
 * `list_servers`: what `mcp-codegen list` prints (tree-catalog.ts): the catalog, or one
 * server's declarations, read from the generated tree. No server is contacted; a problem
 * (no tree yet, an unknown server) is a tool error the model can act on.
 */
import type { ResolvedConfig } from "../config/types.js";
import { CodegenError } from "../errors.js";
import { catalogText, findServer, treeManifest } from "../tree-catalog.js";
import type { CallToolResult } from "./sdk.js";

export async function listServers(
  config: ResolvedConfig,
  server: string | undefined,
): Promise<CallToolResult> {
  try {
    const manifest = await treeManifest(config.outDir, config.outDir);
    const text = await catalogText(config.outDir, manifest, server, config.outDir);
    const dir = server === undefined ? undefined : findServer(manifest, server)[1].dir;
    const head = dir === undefined ? "" : `// import from "./servers/${dir}/index.js"\n`;
    return { content: [{ type: "text", text: `${head}${text}` }] };
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { content: [{ type: "text", text: error.message }], isError: true };
  }
}
