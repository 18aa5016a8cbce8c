/**
 * OAuth on a connection: what `connect/http.ts` hands the SDK's transport (`authProvider` and
 * `fetch`). The provider puts the stored access token on every request, renewing it shortly
 * before it expires; the fetch wrapper sees every answer of the server first:
 * - 401: renews the login (a refresh, or for client credentials a new token) holding the
 *   login's lock, then sends the request once more. When another process renewed it meanwhile,
 *   its token is used and nothing is spent. No login, or one that cannot be renewed: an
 *   AuthError naming `npx mcp-codegen auth <server>`.
 * - 403 `insufficient_scope`: records the scopes the server asked for (the next `auth` asks
 *   for them too) and fails with an AuthError saying so.
 * The SDK's own reaction to 401 and 403 (starting an authorization, which needs a person) is
 * thereby never reached from `generate`, `check`, `run` or the runtime. A 401 without a
 * `Bearer` challenge from a server with no login and no `auth` config is not OAuth (an API
 * key header is missing): it goes to the transport, which reports it as before.
 */
import type { ResolvedServer, ResolvedTransport } from "../config/types.js";
import {
  authorize,
  extractWWWAuthenticateParams,
  type FetchLike,
  type OAuthClientProvider,
  type OAuthTokens,
} from "../connect/sdk.js";
import { AuthError, CodegenError } from "../errors.js";
import { withLoginLock } from "./lock.js";
import { DEFAULT_AUTH, StoredOAuthProvider, type ProviderSettings } from "./provider.js";
import { LoginFile, loginFolder, type StoredLogin } from "./store.js";

type HttpTransport = Extract<ResolvedTransport, { kind: "http" }>;

/**
 * The transport options that give a connection its OAuth login. The provider (which puts the
 * token on requests) is there only for a server with a login or an `auth` config: without it
 * a 401 that is not OAuth's reaches the transport as the plain HTTP error it is.
 */
export interface TransportAuth {
  readonly authProvider?: OAuthClientProvider;
  readonly fetch: FetchLike;
}

/**
 * OAuth for one HTTP connection, or undefined when the config sends its own Authorization
 * header (a token the user manages). `env` locates the user's config folder.
 */
export function transportAuth(
  server: ResolvedServer,
  transport: HttpTransport,
  env: Readonly<Record<string, string | undefined>> = process.env,
): TransportAuth | undefined {
  const headers = Object.keys(transport.headers).map((name) => name.toLowerCase());
  if (headers.includes("authorization")) return undefined;
  const file = new LoginFile(transport.url, loginFolder(env));
  const session = new AuthSession(file, {
    server: server.name,
    auth: transport.auth ?? DEFAULT_AUTH,
  });
  const oauth = transport.auth !== undefined || file.read()?.tokens !== undefined;
  return oauth
    ? { authProvider: session.provider, fetch: session.fetch }
    : { fetch: session.fetch };
}

/** The provider the transport reads tokens from: the session's, kept fresh. */
class SessionProvider extends StoredOAuthProvider {
  constructor(
    file: LoginFile,
    settings: ProviderSettings,
    private readonly fresh: () => Promise<OAuthTokens | undefined>,
  ) {
    super(file, settings);
  }

  override tokens(): Promise<OAuthTokens | undefined> {
    return this.fresh();
  }
}

/** A token this close to its expiry is renewed before use: a minute, or a tenth of its life. */
function isExpiring(login: StoredLogin, now = Date.now()): boolean {
  if (login.expiresAt === undefined) return false;
  const lifetime = login.expiresAt - (login.obtainedAt ?? login.expiresAt);
  return login.expiresAt - now < Math.min(60_000, lifetime / 10);
}

class AuthSession {
  readonly provider: SessionProvider;
  /** What the SDK's auth() runs on: the stored tokens as they are. */
  private readonly stored: StoredOAuthProvider;
  private login: StoredLogin | undefined;
  private loaded = false;

  constructor(
    private readonly file: LoginFile,
    private readonly settings: ProviderSettings,
  ) {
    this.stored = new StoredOAuthProvider(file, settings);
    this.provider = new SessionProvider(file, settings, () => this.headerTokens());
  }

  private get canRenew(): boolean {
    return (
      this.settings.auth.grant === "client_credentials" ||
      this.login?.tokens?.refresh_token !== undefined
    );
  }

  /** The tokens for the next request's Authorization header. */
  private async headerTokens(): Promise<OAuthTokens | undefined> {
    if (!this.loaded) {
      this.login = this.file.read();
      this.loaded = true;
    }
    const login = this.login;
    if (login?.tokens !== undefined && isExpiring(login) && this.canRenew) {
      await this.renew(login.tokens.access_token, {});
    }
    return this.login?.tokens;
  }

  readonly fetch: FetchLike = async (url, init) => {
    const response = await fetch(url, init);
    if (response.status === 401) return this.afterUnauthorized(url, init, response);
    if (response.status === 403) await this.refuseMissingScope(response);
    return response;
  };

  private async afterUnauthorized(
    url: string | URL,
    init: RequestInit | undefined,
    response: Response,
  ): Promise<Response> {
    const challenge = extractWWWAuthenticateParams(response);
    // Refused for a header of the config (an API key), not a login: the transport reports it
    // (it has no provider to start an authorization with, see transportAuth).
    if (!this.isOAuth(response)) return response;
    await response.body?.cancel();
    const used = bearerToken(init?.headers);
    await this.renew(used, challenge);
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${this.login?.tokens?.access_token ?? ""}`);
    const again = await fetch(url, { ...init, headers });
    if (again.status === 401) {
      await again.body?.cancel();
      const server = this.settings.server;
      throw new AuthError(
        server,
        `refused its login even after renewing it: run \`npx mcp-codegen auth ${server}\` to log in again`,
      );
    }
    if (again.status === 403) await this.refuseMissingScope(again);
    return again;
  }

  /**
   * Whether a 401 asks for OAuth: a `Bearer` challenge, or a server we have a login or an
   * `auth` config for.
   */
  private isOAuth(response: Response): boolean {
    const challenge = response.headers.get("www-authenticate") ?? "";
    return (
      /\bbearer\b/i.test(challenge) ||
      this.settings.auth !== DEFAULT_AUTH ||
      this.login?.tokens !== undefined
    );
  }

  /**
   * Renews the login holding its lock, unless another process (or request) already replaced
   * the token `stale` meanwhile. Throws an AuthError when renewing needs a person.
   */
  private async renew(
    stale: string | undefined,
    challenge: { resourceMetadataUrl?: URL; scope?: string },
  ): Promise<void> {
    const { server, auth } = this.settings;
    await withLoginLock(this.file.lockFile, server, async () => {
      const current = this.file.read();
      this.login = current;
      if (
        current?.tokens !== undefined &&
        current.tokens.access_token !== stale &&
        !isExpiring(current)
      ) {
        return;
      }
      if (auth.grant !== "client_credentials" && current?.tokens?.refresh_token === undefined) {
        await this.file.update((login) => ({
          ...login,
          challenge: {
            ...(challenge.resourceMetadataUrl
              ? { resourceMetadataUrl: challenge.resourceMetadataUrl.href }
              : {}),
            ...(challenge.scope ? { scope: challenge.scope } : {}),
          },
        }));
        throw this.stored.loginNeeded();
      }
      try {
        await authorize(this.stored, {
          serverUrl: this.file.serverUrl,
          ...(challenge.resourceMetadataUrl
            ? { resourceMetadataUrl: challenge.resourceMetadataUrl }
            : {}),
          ...(auth.grant === "client_credentials" && challenge.scope
            ? { scope: challenge.scope }
            : {}),
        });
      } catch (error) {
        if (error instanceof CodegenError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new AuthError(
          server,
          auth.grant === "client_credentials"
            ? `the authorization server refused its client credentials (${reason}): check servers.${server}.auth.clientId and clientSecret`
            : `its login could not be renewed (${reason}): run \`npx mcp-codegen auth ${server}\``,
          { cause: error },
        );
      }
      this.login = this.file.read();
    });
  }

  /** A 403 with `insufficient_scope`: the scopes are recorded for the next login, and the call fails. */
  private async refuseMissingScope(response: Response): Promise<void> {
    const { error, scope } = extractWWWAuthenticateParams(response);
    if (error !== "insufficient_scope") return;
    await response.body?.cancel();
    const wanted = scope?.split(" ").filter(Boolean) ?? [];
    await withLoginLock(this.file.lockFile, this.settings.server, () =>
      this.file.update((login) => ({
        ...login,
        neededScopes: [...new Set([...(login.neededScopes ?? []), ...wanted])],
      })),
    );
    const server = this.settings.server;
    const which = wanted.length > 0 ? ` (scope "${wanted.join(" ")}")` : "";
    throw new AuthError(
      server,
      `this request needs more access${which} than its login grants: run \`npx mcp-codegen auth ${server}\` to grant it`,
    );
  }
}

/** The token of a `Bearer` Authorization header, if the request had one. */
function bearerToken(headers: RequestInit["headers"]): string | undefined {
  const value = new Headers(headers).get("authorization");
  return value?.replace(/^Bearer\s+/i, "") || undefined;
}
