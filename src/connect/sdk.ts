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

import { auth } from "@modelcontextprotocol/client";
import { withSdkWarnings } from "../sdk-warnings.js";

/**
 * The SDK's `auth()`, its `[mcp-sdk]` console warnings kept off our output: what it warns about
 * (a refused client, a discarded token) reaches the user as our own error, once, in our words.
 */
export function authorize(...args: Parameters<typeof auth>): ReturnType<typeof auth> {
  return withSdkWarnings(
    () => auth(...args),
    () => {},
  );
}
