/**
 * Opening MCP client connections to configured servers, for introspection and for the runtime.
 *
 * `connect(server)` returns a `Connection`, whose `request` fails only with our own errors: no
 * SDK class leaves this folder, so the SDK can change under it (see sdk.ts).
 */
export { connect, type Connection, type ConnectOptions } from "./connect.js";
export type { ClientIdentity } from "./handshake.js";
export { AnswerShapeError, AnswerTooLargeError, ServerAnswerError } from "./answer-faults.js";
export type { RequestOptions } from "./requests.js";
export { redactText, secretPattern } from "./redact-text.js";
export { NotDeliveredError } from "./result-limits.js";
export { expandUriTemplate, templateVariableNames } from "./uri-template.js";
