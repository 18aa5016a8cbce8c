/**
 * The bearer token of serve's HTTP listener: where it comes from, when one is required, and
 * the check of each request against it.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ConfigError } from "../errors.js";

/** The environment variable that gives the token when the config does not. */
export const TOKEN_VARIABLE = "MCP_CODEGEN_SERVE_TOKEN";

/**
 * The token HTTP clients must send: the config's `serve.token`, else the environment's. One is
 * required to listen on an address other than loopback: anyone who can reach that address
 * could otherwise run code with every configured server's authority.
 */
export function serveToken(
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  host: string,
): string | undefined {
  const fromEnv = env[TOKEN_VARIABLE];
  const token = configured ?? (fromEnv === undefined || fromEnv === "" ? undefined : fromEnv);
  if (token === undefined && !isLoopback(host)) {
    throw new ConfigError(
      `serve will not listen on ${host} without a bearer token: anyone who reaches it could run code with your servers. Set ${TOKEN_VARIABLE} (or serve.token in the config) to a long random string, or listen on 127.0.0.1.`,
    );
  }
  if (token !== undefined && token.length < 16) {
    throw new ConfigError(
      `the serve token (${configured !== undefined ? "serve.token in the config" : TOKEN_VARIABLE}) is shorter than 16 characters; use a long random string (\`openssl rand -hex 32\`).`,
    );
  }
  return token;
}

/** Whether `host` is a loopback address or name (only this machine can reach it). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * Whether an `Authorization` header carries `token`. Both sides are hashed first, so the
 * comparison takes the same time whatever the header holds (its length included).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "";
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(token)) && given !== "";
}
