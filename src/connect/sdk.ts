/**
 * The one module that imports the MCP SDK's client and transport code (and the result schemas
 * the client checks answers with).
 *
 * The SDK is splitting into separate v2 packages (client, server, transports); when that lands,
 * only the specifiers below should change. Everything else in mcp-codegen imports what it needs
 * of the SDK from here (or from `connect/index.ts`, which re-exports it).
 */
export { Client } from "@modelcontextprotocol/sdk/client/index.js";
export { SSEClientTransport, SseError } from "@modelcontextprotocol/sdk/client/sse.js";
export {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
export { deserializeMessage, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
export {
  ErrorCode,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";

export type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
export type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";

// OAuth for HTTP servers (src/auth/): discovery, registration, PKCE, token exchange and refresh
// are the SDK's; mcp-codegen supplies the provider (storage, the redirect listener, the lock).
export {
  auth as authorize,
  extractWWWAuthenticateParams,
} from "@modelcontextprotocol/sdk/client/auth.js";
export {
  ClientCredentialsProvider,
  PrivateKeyJwtProvider,
} from "@modelcontextprotocol/sdk/client/auth-extensions.js";
export type {
  AddClientAuthentication,
  OAuthClientProvider,
  OAuthDiscoveryState,
} from "@modelcontextprotocol/sdk/client/auth.js";
export type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
export type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
