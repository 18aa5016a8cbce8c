/**
 * The one module that imports the MCP SDK: the v2 client package (`@modelcontextprotocol/client`),
 * which speaks every protocol revision from 2024-11-05 to 2026-07-28 and negotiates the newest
 * one both sides speak (see handshake.ts). Everything else in mcp-codegen that needs the SDK is
 * in `src/connect/` and imports it from here; nothing of it leaves that folder.
 */
export {
  Client,
  deserializeMessage,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  serializeMessage,
  SSEClientTransport,
  SseError,
  StreamableHTTPClientTransport,
  UriTemplate,
} from "@modelcontextprotocol/client";

export type { JSONRPCMessage, RequestId, Transport } from "@modelcontextprotocol/client";

// OAuth for HTTP servers (src/auth/): discovery, registration, PKCE, token exchange and refresh
// are the SDK's; mcp-codegen supplies the provider (storage, the redirect listener, the lock).
export {
  auth as authorize,
  ClientCredentialsProvider,
  extractWWWAuthenticateParams,
  PrivateKeyJwtProvider,
} from "@modelcontextprotocol/client";
export type {
  AddClientAuthentication,
  FetchLike,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  OAuthTokens,
} from "@modelcontextprotocol/client";
