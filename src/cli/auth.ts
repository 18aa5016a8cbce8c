/**
 * `mcp-codegen auth <server>` logs in to an OAuth server, `auth --list` shows the stored logins
 * (server, URL, scopes, expiry: never a token), `auth --logout [server]` forgets one or all.
 * The only command that opens a browser.
 */
import { login } from "../auth/login.js";
import { LoginFile, loginFolder, storedLogins, type StoredLogin } from "../auth/store.js";
import { loginKey } from "../auth/store.js";
import type { ResolvedConfig, ResolvedServer } from "../config/types.js";
import { AuthError } from "../errors.js";
import type { CommandContext } from "./context.js";
import { configFor } from "./options.js";

export interface AuthFlags {
  readonly config?: string;
  readonly list?: boolean;
  readonly logout?: boolean;
  /** False with `--no-browser`: the URL is printed and nothing is opened. */
  readonly browser?: boolean;
  readonly scope?: string[];
}

export async function runAuth(
  name: string | undefined,
  flags: AuthFlags,
  ctx: CommandContext,
): Promise<number> {
  if (flags.list) return listLogins(ctx, await optionalConfig(flags, ctx));
  if (flags.logout) return logout(name, flags, ctx);
  if (name === undefined) {
    ctx.stderr.write(
      "error: name the server to log in to (`mcp-codegen auth <server>`), or use --list or --logout\n",
    );
    return 2;
  }
  const server = await configuredServer(name, flags, ctx);
  const outcome = await login(server, {
    openBrowser: flags.browser !== false,
    scopes: flags.scope ?? [],
    say: (line) => ctx.stderr.write(`${line}\n`),
    env: ctx.env,
  });
  if (outcome.kind === "not-needed") {
    ctx.stdout.write(`${name} answered without a login: nothing to do.\n`);
    return 0;
  }
  ctx.stdout.write(
    `Logged in to ${name} (${outcome.login.serverUrl}): ${describe(outcome.login)}\n`,
  );
  return 0;
}

async function logout(name: string | undefined, flags: AuthFlags, ctx: CommandContext) {
  const folder = loginFolder(ctx.env);
  if (name !== undefined) {
    const server = await configuredServer(name, flags, ctx);
    const url = urlOf(server);
    const file = new LoginFile(url, folder);
    const had = file.read() !== undefined;
    await file.remove();
    ctx.stdout.write(
      had ? `Logged out of ${name} (${file.serverUrl}).\n` : `${name} had no login.\n`,
    );
    return 0;
  }
  const logins = storedLogins(folder);
  for (const stored of logins) await new LoginFile(stored.serverUrl, folder).remove();
  ctx.stdout.write(
    logins.length === 0
      ? "No logins were stored.\n"
      : logins.map((stored) => `Logged out of ${stored.serverUrl}.\n`).join(""),
  );
  return 0;
}

function listLogins(ctx: CommandContext, config: ResolvedConfig | undefined): number {
  const folder = loginFolder(ctx.env);
  const logins = storedLogins(folder).filter((stored) => stored.tokens !== undefined);
  if (logins.length === 0) {
    ctx.stdout.write(`No logins (they are kept in ${folder}).\n`);
    return 0;
  }
  // Names differ between projects: this config's name for a URL wins over the stored hint.
  const names = new Map<string, string>();
  for (const server of config?.servers ?? []) {
    if (server.transport.kind === "http" && URL.canParse(server.transport.url)) {
      names.set(loginKey(server.transport.url), server.name);
    }
  }
  const rows = logins
    .map((stored) => ({
      name: names.get(stored.serverUrl) ?? stored.serverName ?? "-",
      url: stored.serverUrl,
      detail: describe(stored),
    }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows)
    ctx.stdout.write(`${row.name.padEnd(width)}  ${row.url}  ${row.detail}\n`);
  return 0;
}

/** Scopes, grant and expiry of a login, in words; never a token. */
function describe(stored: StoredLogin, now = Date.now()): string {
  const scopes = stored.tokens?.scope ?? stored.requestedScope;
  const parts = [scopes ? `scopes: ${scopes}` : "scopes: (none listed)"];
  if (stored.grant === "client_credentials") parts.push("client credentials");
  if (stored.expiresAt === undefined) parts.push("no expiry given");
  else if (stored.expiresAt <= now) {
    parts.push(
      stored.tokens?.refresh_token !== undefined || stored.grant === "client_credentials"
        ? "expired (renewed on next use)"
        : "expired",
    );
  } else parts.push(`expires in ${duration(stored.expiresAt - now)}`);
  return parts.join(", ");
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

async function configuredServer(
  name: string,
  flags: AuthFlags,
  ctx: CommandContext,
): Promise<ResolvedServer> {
  const config = await configFor({ config: flags.config, server: [name] }, ctx.cwd, ctx.env);
  const server = config.servers.find((each) => each.name === name);
  if (server === undefined) throw new AuthError(name, "is not in the config");
  return server;
}

/** The config, when there is one: `--list` works without it (names then come from the logins). */
async function optionalConfig(
  flags: AuthFlags,
  ctx: CommandContext,
): Promise<ResolvedConfig | undefined> {
  try {
    return await configFor({ config: flags.config }, ctx.cwd, ctx.env);
  } catch (error) {
    if (flags.config !== undefined) throw error;
    return undefined;
  }
}

function urlOf(server: ResolvedServer): string {
  if (server.transport.kind !== "http") {
    throw new AuthError(server.name, "is a stdio server: OAuth logins are for servers with a url");
  }
  return server.transport.url;
}
