/**
 * The SDK's `OAuthClientProvider` over a login file: the SDK's `auth()` does discovery,
 * registration, PKCE, the token exchange and refreshing; this keeps what it hands over
 * (client information, tokens, the PKCE verifier, discovery) in the store, and decides what a
 * flow may do here. Only `mcp-codegen auth` gives it a `login` (a redirect listener and a way to
 * send the browser there): without one, anything that would need a person fails with an
 * AuthError that says to run `npx mcp-codegen auth <server>`; no browser opens unasked.
 */
import type { ResolvedAuth } from "../config/types.js";
import {
  ClientCredentialsProvider,
  PrivateKeyJwtProvider,
  type AddClientAuthentication,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
} from "../connect/sdk.js";
import { AuthError } from "../errors.js";
import type { LoginFile, StoredLogin } from "./store.js";

/** What a login in progress supplies (see login.ts). */
interface InteractiveLogin {
  /** `http://127.0.0.1:<port>/callback`, where the listener waits. */
  readonly redirectUrl: string;
  /** The `state` the callback must bring back. */
  readonly state: string;
  /** Sends the person to the authorization URL (opens the browser, or prints it). */
  readonly redirect: (authorizationUrl: URL) => Promise<void>;
}

export interface ProviderSettings {
  /** The config's name for the server, for messages. */
  readonly server: string;
  readonly auth: ResolvedAuth;
  readonly login?: InteractiveLogin;
}

/** The config of a server without an `auth` field. */
export const DEFAULT_AUTH: ResolvedAuth = { grant: "authorization_code", scopes: [] };

/**
 * Refreshing needs no redirect, but the SDK treats a provider without a redirect URL as a
 * client-credentials one; this is never sent anywhere (refresh requests carry none).
 */
const REFRESH_ONLY_REDIRECT = "http://127.0.0.1/callback";

export class StoredOAuthProvider implements OAuthClientProvider {
  /**
   * The SDK's own provider for the client-credentials grant (with a secret, or a private key
   * that signs assertions): its metadata, client information and token request.
   */
  private readonly credentials: ClientCredentialsProvider | PrivateKeyJwtProvider | undefined;
  /** How token requests authenticate the client, when not by the SDK's default. */
  readonly addClientAuthentication: AddClientAuthentication | undefined;

  constructor(
    readonly file: LoginFile,
    readonly settings: ProviderSettings,
  ) {
    this.credentials = credentialsProvider(settings.auth);
    this.addClientAuthentication =
      this.credentials instanceof PrivateKeyJwtProvider
        ? this.credentials.addClientAuthentication
        : undefined;
  }

  get redirectUrl(): string | undefined {
    if (this.credentials) return undefined;
    return (
      this.settings.login?.redirectUrl ?? this.file.read()?.redirectUrl ?? REFRESH_ONLY_REDIRECT
    );
  }

  get clientMetadataUrl(): string | undefined {
    return this.settings.auth.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    if (this.credentials) return this.credentials.clientMetadata;
    const scope = this.settings.auth.scopes.join(" ");
    return {
      client_name: "mcp-codegen",
      redirect_uris: [this.redirectUrl ?? REFRESH_ONLY_REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      // Registered dynamically, it is a public client: PKCE instead of a secret.
      token_endpoint_auth_method:
        this.settings.auth.clientSecret !== undefined ? "client_secret_post" : "none",
      ...(scope !== "" ? { scope } : {}),
    };
  }

  state(): string {
    return this.settings.login?.state ?? "";
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const stored = this.file.read()?.clientInformation;
    const configured = this.configuredClient();
    if (configured !== undefined) {
      // The stored copy is the configured id stamped with its issuer; its secret stays in the config.
      return stored?.client_id === configured.client_id
        ? { ...stored, ...configured, ...("issuer" in stored ? { issuer: stored.issuer } : {}) }
        : configured;
    }
    // Registering is for `mcp-codegen auth`: a run must not leave clients behind at the server.
    if (stored === undefined && this.settings.login === undefined) throw this.loginNeeded();
    return stored;
  }

  async saveClientInformation(information: OAuthClientInformationMixed): Promise<void> {
    const { client_secret: secret, ...rest } = information;
    const keepSecret = secret !== undefined && secret !== this.settings.auth.clientSecret;
    await this.file.update((login) => ({
      ...login,
      clientInformation: keepSecret ? { ...rest, client_secret: secret } : rest,
      ...(this.settings.login ? { redirectUrl: this.settings.login.redirectUrl } : {}),
    }));
  }

  /** During a login: none, so that the SDK authorizes afresh instead of refreshing. */
  tokens(): OAuthTokens | undefined | Promise<OAuthTokens | undefined> {
    return this.settings.login ? undefined : this.file.read()?.tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    const now = Date.now();
    await this.file.update((login) => {
      // The verifier and the recorded challenge have served their turn.
      const { codeVerifier: _verifier, challenge: _challenge, ...rest } = login;
      const granted = tokens.scope?.split(" ").filter(Boolean) ?? [];
      // A login asked for every scope found missing; a refresh keeps asking for those still missing.
      const stillNeeded = this.settings.login
        ? []
        : (login.neededScopes ?? []).filter((scope) => !granted.includes(scope));
      return {
        ...rest,
        serverName: this.settings.server,
        grant: this.settings.auth.grant,
        // A refresh answer may leave the refresh token out: the old one stays valid then.
        tokens: {
          ...tokens,
          ...(tokens.refresh_token === undefined &&
          login.tokens?.refresh_token !== undefined &&
          !this.settings.login
            ? { refresh_token: login.tokens.refresh_token }
            : {}),
        },
        obtainedAt: now,
        ...(typeof tokens.expires_in === "number"
          ? { expiresAt: now + tokens.expires_in * 1000 }
          : { expiresAt: undefined }),
        neededScopes: stillNeeded,
      };
    });
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const login = this.settings.login;
    if (login === undefined) throw this.loginNeeded();
    const scope = authorizationUrl.searchParams.get("scope");
    if (scope !== null) await this.file.update((stored) => ({ ...stored, requestedScope: scope }));
    await login.redirect(authorizationUrl);
  }

  async saveCodeVerifier(codeVerifier: string): Promise<void> {
    // Without a login the next step fails (redirectToAuthorization): nothing to keep.
    if (this.settings.login === undefined) return;
    await this.file.update((login) => ({ ...login, codeVerifier }));
  }

  codeVerifier(): string {
    const verifier = this.file.read()?.codeVerifier;
    if (verifier === undefined) {
      throw new AuthError(
        this.settings.server,
        "no login is in progress (its PKCE verifier is gone): run the login again",
      );
    }
    return verifier;
  }

  prepareTokenRequest(scope?: string): URLSearchParams | undefined {
    return this.credentials?.prepareTokenRequest(scope);
  }

  async invalidateCredentials(
    scope: "all" | "client" | "tokens" | "verifier" | "discovery",
  ): Promise<void> {
    if (scope === "all") return this.file.remove();
    const field: Record<typeof scope, keyof StoredLogin> = {
      client: "clientInformation",
      tokens: "tokens",
      verifier: "codeVerifier",
      discovery: "discoveryState",
    };
    await this.file.update((login) => ({ ...login, [field[scope]]: undefined }));
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.file.read()?.discoveryState;
  }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    await this.file.update((login) => ({ ...login, discoveryState: state }));
  }

  /** The client of the config (`auth.clientId`), if it names one. */
  private configuredClient(): OAuthClientInformationMixed | undefined {
    if (this.credentials) return this.credentials.clientInformation();
    const { clientId, clientSecret, issuer } = this.settings.auth;
    if (clientId === undefined) return undefined;
    return {
      client_id: clientId,
      ...(clientSecret !== undefined ? { client_secret: clientSecret } : {}),
      // Bound to its authorization server: the SDK presents it to no other.
      ...(issuer !== undefined ? { issuer } : {}),
    };
  }

  /** The error for a flow that would need a person. */
  loginNeeded(): AuthError {
    const login = this.file.read();
    const server = this.settings.server;
    const why =
      login?.tokens !== undefined
        ? "its login has expired and could not be renewed"
        : "it needs a login (OAuth) and there is none for its URL";
    return new AuthError(server, `${why}: run \`npx mcp-codegen auth ${server}\``);
  }
}

/** The SDK's provider for a client-credentials config, if the config is one. */
function credentialsProvider(
  auth: ResolvedAuth,
): ClientCredentialsProvider | PrivateKeyJwtProvider | undefined {
  if (auth.grant !== "client_credentials" || auth.clientId === undefined) return undefined;
  const common = {
    clientId: auth.clientId,
    clientName: "mcp-codegen",
    ...(auth.scopes.length > 0 ? { scope: auth.scopes.join(" ") } : {}),
    ...(auth.issuer !== undefined ? { expectedIssuer: auth.issuer } : {}),
  };
  if (auth.privateKey !== undefined) {
    return new PrivateKeyJwtProvider({
      ...common,
      privateKey: auth.privateKey,
      algorithm: auth.privateKeyAlgorithm ?? "RS256",
    });
  }
  if (auth.clientSecret === undefined) return undefined;
  return new ClientCredentialsProvider({ ...common, clientSecret: auth.clientSecret });
}
