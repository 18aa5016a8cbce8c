/**
 * Introspection: connect to the configured servers and capture what they offer as a snapshot
 * (plain JSON, secrets redacted) for the model phase.
 */
export { introspect } from "./introspect.js";
export { introspectServer } from "./introspect-server.js";
export { listTools, type ToolList } from "./list-tools.js";
export { redactSnapshot } from "./redact.js";
export { checkTool, MAX_SCHEMA_DEPTH } from "./tool-definition.js";
export * from "./snapshot.js";
