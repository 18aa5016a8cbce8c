/**
 * mcp-codegen's config: the MCP servers whose tools `npx mcp-codegen` turns into typed stubs
 * in servers/, and the limits of programs run with `npx mcp-codegen run`. Every option is
 * documented on its type: hover it in your editor.
 */
import { defineConfig } from "mcp-codegen";

export default defineConfig({
  servers: {
    // An example to replace with your servers, written as MCP clients write them: `command`,
    // `args` and `env` start a local one, `url` and `headers` reach a remote one, and
    // `${VAR}` reads the environment, so that tokens stay out of this file.
    memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
  },
});
