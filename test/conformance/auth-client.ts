/**
 * A client for the official conformance suite's `auth/*` scenarios, built on mcp-codegen's own
 * parts: the config's `auth` field, `login()` (what `mcp-codegen auth` runs) and `connect()`.
 * The suite runs it with the scenario server's URL as the last argument. It acts as a user
 * would: log in (the "browser" follows the authorization URL, which the scenario's server
 * approves at once), connect, list and call the tools; a refusal that names `mcp-codegen auth`
 * (a missing login, missing scopes) means logging in again, at most twice.
 *   node --import tsx test/conformance/auth-client.ts <server-url>
 */
import { mkdtempSync, rmSync } from "node:fs";
import { z } from "zod";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { login } from "../../src/auth/login.js";
import { resolveConfig } from "../../src/config/resolve.js";
import type { AuthConfig } from "../../src/config/types.js";
import { connect } from "../../src/connect/connect.js";
import { AuthError } from "../../src/errors.js";

const url = process.argv.at(-1) ?? "";
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}") as Record<string, unknown>;
const home = mkdtempSync(path.join(tmpdir(), "conformance-"));
const env = { XDG_CONFIG_HOME: home };
process.env.XDG_CONFIG_HOME = home;

/** The `auth` field a user would write for this scenario. */
async function authFor(): Promise<AuthConfig | undefined> {
  if (scenario === "auth/basic-cimd") {
    return { clientMetadataUrl: "https://conformance-test.local/client-metadata.json" };
  }
  const { client_id: clientId, client_secret: secret, private_key_pem: key } = context;
  if (typeof clientId !== "string") return undefined;
  // A user copies the issuer from the authorization server's documentation; here it is read
  // from the server's protected resource metadata.
  const common = { grant: "client_credentials", clientId, issuer: await issuerOf(url) } as const;
  if (typeof secret === "string") return { ...common, clientSecret: secret };
  if (typeof key === "string") {
    const algorithm = context.signing_algorithm;
    return {
      ...common,
      privateKey: key,
      ...(typeof algorithm === "string" ? { privateKeyAlgorithm: algorithm } : {}),
    };
  }
  return undefined;
}

/** The first authorization server the MCP server's protected resource metadata names. */
async function issuerOf(serverUrl: string): Promise<string> {
  const refused = await fetch(serverUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "ping" }),
  });
  const metadataUrl = /resource_metadata="([^"]+)"/.exec(
    refused.headers.get("www-authenticate") ?? "",
  )?.[1];
  const where = metadataUrl ?? new URL("/.well-known/oauth-protected-resource", serverUrl).href;
  const metadata = (await (await fetch(where)).json()) as { authorization_servers?: string[] };
  return metadata.authorization_servers?.[0] ?? new URL(serverUrl).origin;
}

const auth = await authFor();
const config = resolveConfig(
  { servers: { conformance: { url, timeout: 15_000, ...(auth ? { auth } : {}) } } },
  { root: home, cwd: home, env },
);
const server = config.servers[0]!;

async function logIn(): Promise<void> {
  await login(server, {
    openBrowser: false,
    env,
    waitMs: 10_000,
    say: (line) => {
      const found = /^\s+(https?:\/\/\S+)$/m.exec(line)?.[1];
      if (found === undefined) return;
      // The browser: follows the authorization server's redirect to the loopback listener.
      void fetch(found).catch((error: unknown) => console.error(`browser: ${String(error)}`));
    },
  });
}

async function session(): Promise<void> {
  const connection = await connect(server);
  try {
    const listed = z.object({ tools: z.array(z.object({ name: z.string() })) });
    const { tools } = await connection.request("tools/list", {}, listed);
    for (const tool of tools) {
      await connection.request("tools/call", { name: tool.name, arguments: {} }, z.unknown());
    }
  } finally {
    await connection.close();
  }
}

/** Logins a user would make before giving up: the first, and two asked for by refusals. */
const MAX_LOGINS = 3;

try {
  if (auth?.grant !== "client_credentials") await logIn();
  for (let logins = 1; ; logins += 1) {
    try {
      await session();
      break;
    } catch (error) {
      if (!(error instanceof AuthError) || logins >= MAX_LOGINS) throw error;
      console.error(`${error.message}: logging in again`);
      await logIn();
    }
  }
  process.exitCode = 0;
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}
