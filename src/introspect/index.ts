/**
 * Introspection: connect to the configured servers and capture what they offer as a snapshot
 * (plain JSON, secrets redacted) for the model phase.
 */
export { introspect, type IntrospectOptions, type IntrospectResult } from "./introspect.js";
export { introspectServer } from "./introspect-server.js";
export { listTools, MAX_PAGES, type ToolList } from "./list-tools.js";
export { redactSnapshot } from "./redact.js";
export { checkTool, MAX_SCHEMA_DEPTH, type CheckedTool } from "./tool-definition.js";
export * from "./snapshot.js";
