/**
 * `fromClientConfig`: the servers of an MCP client's JSON config, for a `codegen.config.ts`
 * that imports that file and stays typed:
 *
 * ```ts
 * import { defineConfig, fromClientConfig } from "mcp-codegen";
 * import mcpJson from "./.mcp.json" with { type: "json" };
 *
 * export default defineConfig({ servers: { ...fromClientConfig(mcpJson), extra: { … } } });
 * ```
 */
import { clientServers } from "./json.js";
import type { ServerConfig } from "./types.js";

/**
 * A client's config as a JSON import types it: strings where the config's own types have
 * literals (`type: "stdio"` is `string` there), every client's fields accepted. Wrong shapes
 * (`args: [1]`) are still type errors; wrong values are reported when the config loads.
 */
export interface ClientConfigJson {
  /** `.mcp.json`, `.cursor/mcp.json`, `claude_desktop_config.json`. */
  readonly mcpServers?: Readonly<Record<string, ClientServerJson>>;
  /** VS Code's `mcp.json`. */
  readonly servers?: Readonly<Record<string, ClientServerJson>>;
  /** VS Code's prompts for `${input:…}`; mcp-codegen reads values from the environment instead. */
  readonly inputs?: readonly unknown[];
}

/** One server as clients write it, with the fields of ours that may sit beside theirs. */
export interface ClientServerJson {
  /** `"stdio"`, `"http"`, `"streamable-http"` or `"sse"`. */
  readonly type?: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
  readonly approve?: { readonly tools?: readonly string[]; readonly destructive?: boolean };
  readonly timeout?: number;
  readonly disabled?: boolean;
  /** `true`, `false` or `{ detect, patterns }`: see `PrivacyConfig`. */
  readonly privacy?:
    | boolean
    | { readonly detect?: readonly string[]; readonly patterns?: Readonly<Record<string, string>> };
  /** `"streamable-http"` or `"sse"`. */
  readonly transport?: string;
}

/**
 * The servers of a client's config (imported with `with { type: "json" }`), under
 * `mcpServers` or VS Code's `servers`, without the settings only that client uses. They are
 * validated with the rest of the config when it loads, each at its path (`servers.<name>`).
 * `${workspaceFolder}` means the config's folder, as in VS Code.
 */
export function fromClientConfig(json: ClientConfigJson): Record<string, ServerConfig> {
  return clientServers(json).servers as Record<string, ServerConfig>;
}
