/**
 * `callMcpTool`: what every generated stub calls. Looks the server up in the config, reuses its
 * pooled connection, and turns the result into what the stub's type promises.
 */
import { z } from "zod";
import { readCallResult } from "./call-result.js";
import { hasConfiguredOutput, parseConfiguredOutput } from "./configured-output.js";
import { ContentResult } from "./content-result.js";
import { guardDrift } from "./drift.js";
import { InvalidResultError, McpToolError, RuntimeError } from "./errors.js";
import { abortable } from "./pool.js";
import type { CallOptions } from "./options.js";
import { guardCall, refuseUnlessAllowed } from "./policy.js";
import { assertOpen, checkResultSize, onServer, sendOptions } from "./request.js";

const NO_OPTIONS: CallOptions = {};
// The answer is checked here (readCallResult), not by the SDK's schema: see call-result.ts. That
// also keeps `structuredContent` as it was parsed: the SDK's schema rebuilds it key by key, and
// an object built by assignment loses a key named `__proto__` (assigning it sets the
// prototype), which JSON allows and a schema may declare.
const ANY_RESULT = z.unknown();

/**
 * Calls `tool` on `server` (the config's name for it) with `input`. Returns the structured
 * content when the tool declares an `outputSchema`, and a `ContentResult` otherwise.
 *
 * Throws `McpToolError` when the tool reports an error; `McpProtocolError` when the server
 * answers with a JSON-RPC error (unknown tool, invalid arguments); `InvalidResultError` when
 * its answer is not a result MCP allows; `DriftError` when the server's tools no longer match
 * the stubs and the config says `onDrift: "error"`; `OutputValidationError` when
 * `validateOutput` is on and the structured content does not match; `ResultTooLargeError` over
 * `maxResultBytes` (the connection stays usable after each of these); `ToolDeniedError` when
 * the config's `include`/`exclude`/`allow`/`deny` refuse the tool and `ApprovalError` when
 * `approve` names it and no person said yes (neither reaches the server); and a ConnectionError
 * (ServerCrashedError with the exit code and stderr) or TimeoutError when the server cannot be
 * reached, dies or does not answer (the next call reconnects).
 */
export async function callMcpTool<T = ContentResult>(
  server: string,
  tool: string,
  input: object = {},
  options: CallOptions = NO_OPTIONS,
): Promise<T> {
  await refuseUnlessAllowed(server, tool);
  return onServer(server, "tools/call", tool, options, async (pooled, entry) => {
    const connection = pooled.connection;
    // Listed once per connection; every later call reads the result without waiting.
    const tools =
      pooled.tools ?? (await abortable(pooled.prepare(entry.config.outDir), options.signal));
    if (tools.drift) guardDrift(entry.server.name, entry.config.runtime.onDrift, tools.drift);
    await guardCall(entry, tool, input, tools, options.signal);
    assertOpen(connection);
    const raw = await connection.request(
      "tools/call",
      { name: tool, arguments: input as Record<string, unknown> },
      ANY_RESULT,
      sendOptions("tools/call", tool, options),
    );
    checkResultSize(pooled, entry, "tools/call", tool, raw);
    const result = readCallResult(raw);
    if ("problem" in result) {
      throw new InvalidResultError(server, `tool "${tool}"`, tool, result.problem);
    }
    const content = result.content;
    if (result.isError) throw new McpToolError(server, tool, content);
    if (tools.withOutput.has(tool)) {
      if (result.structuredContent === undefined) {
        throw new RuntimeError(
          `tool "${tool}" of server "${server}" declares an outputSchema but returned no structuredContent`,
        );
      }
      if (entry.config.runtime.validateOutput) tools.outputs.check(tool, result.structuredContent);
      return result.structuredContent as T;
    }
    const contentResult = new ContentResult(content, result.structuredContent);
    if (hasConfiguredOutput(entry.server, tool)) {
      const validate = entry.config.runtime.validateOutput;
      return parseConfiguredOutput(entry.server, tool, contentResult, validate) as T;
    }
    return contentResult as T;
  });
}
