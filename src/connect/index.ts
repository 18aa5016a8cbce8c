/**
 * Opening MCP client connections to configured servers, for introspection and for the runtime.
 *
 * `connect(server)` returns a `Connection`; pass `connection.requestOptions` (the configured
 * per-request timeout) to every request, and turn request errors into typed errors with
 * `connection.failure(error, "tools/call")`.
 */
export { connect, type Connection, type ConnectOptions } from "./connect.js";
export type { ClientIdentity } from "./handshake.js";
export { serverErrorDetail, shapeProblem } from "./failures.js";
export { redactText, secretPattern } from "./redact-text.js";
export {
  Client,
  ErrorCode,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "./sdk.js";
export { isNotDelivered, NotDeliveredError, resultTooLarge } from "./result-limits.js";
