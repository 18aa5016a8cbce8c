/**
 * `mcp-codegen/runtime`: what generated stubs import. Also usable directly from a script.
 */
export { callMcpTool, closeConnections, type CallOptions } from "./call-mcp-tool.js";
export { ContentResult, type ContentItem } from "./content-result.js";
export { McpToolError, RuntimeError } from "./errors.js";
export { setRuntimeConfig } from "./config.js";
export { ConnectionError, ServerCrashedError, TimeoutError } from "../errors.js";
