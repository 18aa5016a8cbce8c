/**
 * `list_servers`: the generated catalog (`servers/README.md`: every server, every tool, one line
 * each), or one server's declarations (`summary.d.ts`: its tools with their fields), read from
 * the tree on disk. No server is contacted.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type { ResolvedConfig } from "../config/types.js";
import { readPreviousManifest } from "../write/previous.js";
import type { CallToolResult } from "./sdk.js";

export async function listServers(
  config: ResolvedConfig,
  server: string | undefined,
): Promise<CallToolResult> {
  const servers = path.join(config.outDir, "servers");
  const manifest = await readPreviousManifest(config.outDir);
  if (manifest === undefined) {
    return failed(
      "there is no generated tree yet: run `npx mcp-codegen generate` in the project, then call again",
    );
  }
  if (server === undefined) return text(await readFile(path.join(servers, "README.md"), "utf8"));
  const entry = Object.hasOwn(manifest.servers, server) ? manifest.servers[server] : undefined;
  if (entry === undefined) {
    const names = Object.keys(manifest.servers).join(", ");
    return failed(`no server named ${JSON.stringify(server)}; the servers are: ${names}`);
  }
  const summary = await readFile(path.join(servers, entry.dir, "summary.d.ts"), "utf8");
  return text(`// import from "./servers/${entry.dir}/index.js"\n${summary}`);
}

function text(value: string): CallToolResult {
  return { content: [{ type: "text", text: value }] };
}

function failed(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}
