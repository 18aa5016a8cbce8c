/**
 * Errors as a sandboxed program may see them. The program is untrusted and what it prints goes
 * back to a model, so an error crossing into it carries what the program needs to react (its
 * class, the server and tool, codes, a tool's own error content) and nothing of the host: not
 * the config's path or folder, not the other servers' names, not a server's stderr (which can
 * hold tokens), not a configured secret.
 */
import type { ResolvedConfig } from "../config/types.js";
import { redactText, secretPattern } from "../connect/redact-text.js";
import { ConnectionError, ServerCrashedError } from "../errors.js";
import { errorToWire, type WireError } from "./protocol.js";

/** Fields that only the host's own log may show. */
const HOST_ONLY_FIELDS = new Set(["stderrTail", "configFile", "file", "command", "args", "cwd"]);

export function errorForProgram(error: unknown, config: ResolvedConfig): WireError {
  const wire = errorToWire(error);
  let message = wire.message;
  if (error instanceof ServerCrashedError) {
    const how =
      error.exitCode !== null
        ? `exited with code ${error.exitCode}`
        : `was killed by ${error.signal ?? "a signal"}`;
    message = `the server process ${how}.`;
  } else if (error instanceof ConnectionError) {
    // Why it could not connect names its command, URL or address: the host's business.
    message = `server "${error.server}" could not be started or reached; \`npx mcp-codegen inspect --server ${error.server}\` shows why.`;
  }
  // "server "x" is not in <config> (it has: a, b, c)": the list is the host's business.
  message = message.replace(/ \(it has: [^)]*\)/g, "");
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wire.fields)) {
    if (!HOST_ONLY_FIELDS.has(key)) fields[key] = value;
  }
  return {
    name: wire.name,
    message: scrub(message, config),
    fields: JSON.parse(scrub(JSON.stringify(fields), config)) as Record<string, unknown>,
  };
}

/** `text` without the config's path and folders and without any configured secret. */
function scrub(text: string, config: ResolvedConfig): string {
  let out = text;
  const places: [string | undefined, string][] = [
    [config.file, "the config"],
    [config.outDir, "the project"],
    [config.root, "the project"],
  ];
  for (const [place, name] of places) {
    if (place !== undefined && place.length > 1) out = out.split(place).join(name);
  }
  const secrets = secretPattern(config.servers.flatMap((server) => server.secrets));
  return redactText(out, secrets).text;
}
