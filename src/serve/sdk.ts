/**
 * The one module of `serve` that imports the MCP SDK's server side: the v2 server package
 * (`@modelcontextprotocol/server`), which serves every protocol revision from 2024-11-05 to
 * 2026-07-28 from one factory (2025-era clients by their `initialize`, 2026-07-28 ones
 * statelessly, each request carrying its version and capabilities). The client side stays in
 * `src/connect/sdk.ts`.
 */
export {
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  McpServer,
  originValidationResponse,
} from "@modelcontextprotocol/server";
export type {
  CallToolResult,
  ElicitResult,
  McpHttpHandler,
  ServerContext,
} from "@modelcontextprotocol/server";
export { serveStdio } from "@modelcontextprotocol/server/stdio";
