/**
 * The MCP server serve speaks, one instance per connection (stdio) or per request (HTTP, which
 * the SDK serves statelessly): its instructions and its tools, each a thin adapter from a tool
 * call to the part that does the work.
 */
import { z } from "zod";
import { nobodyToAsk, type Approver } from "../runtime/approver.js";
import { GENERATOR_VERSION } from "../version.js";
import { askingTools, elicitingApprover } from "./approvals.js";
import { clientWorkspace, type ClientIdentity } from "./client.js";
import { answered, definitions, searchTools } from "./discovery.js";
import { executeCode, type Executor } from "./execute.js";
import { EXECUTE_DESCRIPTION, INSTRUCTIONS, SEARCH_DESCRIPTION } from "./instructions.js";
import { leanSchema } from "./lean-schema.js";
import { listSkillsTool, saveSkillTool } from "./skills.js";
import { listFolder } from "../workspace/listing.js";
import { listingText } from "../workspace/text.js";
import { CLIENT_INFO_META_KEY, McpServer, type ServerContext } from "./sdk.js";

/** Builds the server for one connection or request. */
export function newServeServer(executor: Executor, principal: string): McpServer {
  /** The folder of `workspace/` that is the calling client's own. */
  const workspaceOf = (ctx: ServerContext) => {
    const client: ClientIdentity = { principal, name: clientName(server, ctx) };
    return clientWorkspace(executor.config.outDir, client);
  };
  const server = new McpServer(
    { name: "mcp-codegen", version: GENERATOR_VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  server.registerTool(
    "execute_code",
    {
      description: EXECUTE_DESCRIPTION,
      inputSchema: leanSchema(
        z.object({
          code: z.string().describe("The program"),
        }),
      ),
    },
    async ({ code }, ctx) => {
      return executeCode(executor, {
        code,
        workspace: workspaceOf(ctx),
        tools: askingTools(executor.kept.tools, approverFor(server, ctx, principal)),
        signal: ctx.mcpReq.signal,
      });
    },
  );
  registerDiscoveryTools(server, executor);
  registerSkillTools(server, executor);
  server.registerTool(
    "list_workspace",
    {
      description: "Lists workspace/ files.",
      inputSchema: leanSchema(z.object({})),
    },
    async (_args, ctx) =>
      answered(async () =>
        // As the client's programs see it: where it is on this machine is not the model's business.
        listingText(
          await listFolder(workspaceOf(ctx), executor.config.run.maxWorkspaceMb),
          "workspace/",
        ),
      ),
  );
  executor.skills.attach(server);
  return server;
}

/** `search_tools` and `read_definitions`: the generated tree, read only. */
function registerDiscoveryTools(server: McpServer, executor: Executor): void {
  server.registerTool(
    "search_tools",
    {
      description: SEARCH_DESCRIPTION,
      inputSchema: leanSchema(
        z.object({
          query: z.string().describe('e.g. "send an email"'),
          detail: z
            .enum(["name", "summary", "full"])
            .optional()
            .describe("summary (default) adds descriptions; full adds TypeScript"),
          limit: z.number().int().optional().describe("default 10"),
        }),
      ),
    },
    async (args) => searchTools(executor.config, args),
  );
  server.registerTool(
    "read_definitions",
    {
      description:
        "TypeScript declarations: server.tool for one tool, a server's name for all its tools in short.",
      inputSchema: leanSchema(
        z.object({
          names: z.array(z.string()).describe('e.g. ["github.create_issue"]'),
        }),
      ),
    },
    async ({ names }) => definitions(executor.config, names),
  );
}

/** `save_skill` and `list_skills`: code that worked, kept in `skills/` for later programs. */
function registerSkillTools(server: McpServer, executor: Executor): void {
  const outDir = executor.config.outDir;
  server.registerTool(
    "save_skill",
    {
      description:
        "Saves a working program (exporting its functions) as skills/<name>/ for later programs to import.",
      inputSchema: leanSchema(
        z.object({
          name: z.string().describe("a-z0-9-"),
          description: z.string().describe("what and when"),
          code: z.string(),
          force: z.boolean().optional(),
        }),
      ),
    },
    async (args) => saveSkillTool(outDir, executor.skills, args),
  );
  server.registerTool(
    "list_skills",
    {
      description: "Lists saved skills.",
      inputSchema: leanSchema(z.object({})),
    },
    async () => listSkillsTool(outDir),
  );
}

/** The client's name: from `initialize` (2025 revisions) or from the request's `_meta`. */
function clientName(server: McpServer, ctx: ServerContext): string | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, { name?: unknown }> | undefined;
  const name = envelope?.[CLIENT_INFO_META_KEY]?.name ?? server.server.getClientVersion()?.name;
  return typeof name === "string" ? name : undefined;
}

/**
 * Who says yes to a call the config's `approve` names: the client's user, through elicitation,
 * when the client said it supports it on a connection that lets a server ask in the middle of
 * a request: a 2025-era one over stdio. (2026-07-28 asks only by ending the request with an
 * `input_required` result, which a program half-way through its run cannot do; 2025-era HTTP
 * is served statelessly, with no session for the answer to come back on.) Otherwise nobody,
 * and the call fails naming the rule.
 */
function approverFor(server: McpServer, ctx: ServerContext, principal: string): Approver {
  const modern = ctx.mcpReq.envelope !== undefined;
  const declared = server.server.getClientCapabilities()?.elicitation !== undefined;
  if (modern || principal !== "stdio" || !declared) {
    return nobodyToAsk(
      modern
        ? "serve ran this program for a 2026-07-28 client, which a server cannot ask in the middle of a run"
        : principal !== "stdio"
          ? "serve ran this program for an HTTP client, which it cannot ask in the middle of a run (serve over stdio asks clients that support elicitation)"
          : "serve ran this program for a client that does not support elicitation, so there is nobody to ask",
    );
  }
  return elicitingApprover((message, signal) =>
    ctx.mcpReq.elicitInput(
      {
        message,
        requestedSchema: {
          type: "object",
          properties: { approve: { type: "boolean", title: "Allow this call" } },
          required: ["approve"],
        },
      },
      signal ? { signal } : {},
    ),
  );
}
