/**
 * `mcp-codegen/runtime`: what generated stubs import. Also usable directly from a script.
 *
 * The declarations of everything exported here reach no SDK or Node type (nothing of
 * `connect/`, `request.ts` or `pool.ts`): a project without `@types/node` that checks every
 * declaration file (`skipLibCheck: false`) type-checks its generated tree (test/e2e/packed).
 */
export { callMcpTool } from "./call-mcp-tool.js";
export { closeConnections } from "./close-connections.js";
export type { CallOptions, ProgressUpdate, RequestOptions } from "./options.js";
export {
  listResources,
  listResourceTemplates,
  readResource,
  readResourceTemplate,
  type Resource,
  type ResourceContents,
  type ResourceTemplate,
  type TemplateParams,
} from "./resources.js";
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
  searchTools,
  type SearchDetail,
  type SearchHit,
  type SearchOptions,
  type SearchResults,
} from "./search-tools.js";
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
export { ApprovalError, ToolDeniedError } from "./policy-errors.js";
export { saveSkill, type SavedSkillInfo, type SkillToSave } from "./skills.js";
export { setRuntimeConfig } from "./config.js";
export { setRuntimeWarningHandler, type RuntimeWarningHandler } from "./warnings.js";
export { ConnectionError, ServerConfigError, ServerCrashedError, TimeoutError } from "../errors.js";
