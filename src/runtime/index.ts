/**
 * `mcp-codegen/runtime`: what generated stubs import. Also usable directly from a script.
 */
export { callMcpTool, type CallOptions } from "./call-mcp-tool.js";
export { closeConnections, type RequestOptions } from "./request.js";
export { listResources, readResource, type Resource, type ResourceContents } from "./resources.js";
export {
  getPrompt,
  listPrompts,
  type GetPromptResult,
  type Prompt,
  type PromptArgument,
  type PromptMessage,
} from "./prompts.js";
export { ContentResult, type ContentItem } from "./content-result.js";
export {
  DriftError,
  InvalidResultError,
  McpProtocolError,
  McpToolError,
  OutputValidationError,
  ResultTooLargeError,
  RuntimeError,
  type ToolDrift,
} from "./errors.js";
export { setRuntimeConfig } from "./config.js";
export { setRuntimeWarningHandler, type RuntimeWarningHandler } from "./warnings.js";
export { ConnectionError, ServerConfigError, ServerCrashedError, TimeoutError } from "../errors.js";
