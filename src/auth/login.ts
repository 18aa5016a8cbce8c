/**
 * Logging in to one HTTP server (`mcp-codegen auth <server>`). The SDK's `auth()` runs the
 * flow: protected resource metadata (RFC 9728), authorization server discovery (RFC 8414 /
 * OIDC), a Client ID Metadata Document or dynamic registration (RFC 7591), PKCE, the code
 * exchange, or the client-credentials grant. This supplies what it asks of a client: the
 * server's challenge (read from one unauthenticated request), the loopback listener, the
 * browser, and the scopes to ask for.
 */
import { randomBytes } from "node:crypto";
import type { ResolvedAuth, ResolvedServer, ResolvedTransport } from "../config/types.js";
import { authorize, extractWWWAuthenticateParams } from "../connect/sdk.js";
import { AuthError, CodegenError, ServerConfigError } from "../errors.js";
import { openInBrowser } from "./browser.js";
import { withLoginLock } from "./lock.js";
import { listenForCallback, type LoopbackListener } from "./loopback.js";
import { DEFAULT_AUTH, StoredOAuthProvider } from "./provider.js";
import { LoginFile, loginFolder, type StoredLogin } from "./store.js";

type HttpTransport = Extract<ResolvedTransport, { kind: "http" }>;

export interface LoginOptions {
  /** Open the browser at the authorization URL (it is printed either way). */
  readonly openBrowser: boolean;
  /** Scopes to ask for besides the config's and those a call was refused for. */
  readonly scopes?: readonly string[];
  /** Where the URL and progress go (the CLI's stderr). */
  readonly say: (line: string) => void;
  /** Locates the user's config folder. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How long to wait for the browser to come back. Default: 5 minutes. */
  readonly waitMs?: number;
}

export type LoginOutcome =
  | { readonly kind: "logged-in"; readonly login: StoredLogin }
  /** The server answered without a login and the config asks for none. */
  | { readonly kind: "not-needed" };

/** What the server said when it refused a request for want of a login (401). */
interface Challenge {
  readonly resourceMetadataUrl?: URL;
  readonly scope?: string;
}

const DEFAULT_WAIT_MS = 5 * 60_000;

export async function login(server: ResolvedServer, options: LoginOptions): Promise<LoginOutcome> {
  if (server.unusable) throw new ServerConfigError(server.name, server.unusable);
  const transport = server.transport;
  if (transport.kind !== "http") {
    throw new AuthError(server.name, "is a stdio server: OAuth logins are for servers with a url");
  }
  const auth = transport.auth ?? DEFAULT_AUTH;
  const file = new LoginFile(transport.url, loginFolder(options.env));
  const stored = file.read();
  const challenge = (await probe(server, transport)) ?? storedChallenge(stored);
  const wanted = [...(options.scopes ?? []), ...(stored?.neededScopes ?? [])];
  if (challenge === undefined && transport.auth === undefined && wanted.length === 0) {
    return { kind: "not-needed" };
  }
  const request = authorizationRequest(file, auth, challenge, stored, wanted);
  const flow = { server: server.name, auth, file, request, failed: loginFailure(server.name) };
  if (auth.grant === "client_credentials") await loginWithClientCredentials(flow);
  else await loginInBrowser(flow, stored, options);
  return { kind: "logged-in", login: file.read() ?? { serverUrl: file.serverUrl } };
}

/** What one login needs, whichever grant it takes. */
interface LoginFlow {
  readonly server: string;
  readonly auth: ResolvedAuth;
  readonly file: LoginFile;
  readonly request: AuthorizationRequest;
  readonly failed: (error: unknown) => CodegenError;
}

type AuthorizationRequest = Parameters<typeof authorize>[1];

/**
 * The SDK's request: the server, where its protected resource metadata is, and the scopes: the
 * challenge's, the config's, and with more wanted (step-up) those already granted too.
 */
function authorizationRequest(
  file: LoginFile,
  auth: ResolvedAuth,
  challenge: Challenge | undefined,
  stored: StoredLogin | undefined,
  wanted: readonly string[],
): AuthorizationRequest {
  const previous =
    wanted.length > 0 ? (stored?.tokens?.scope ?? stored?.requestedScope) : undefined;
  const scope = joinScopes([challenge?.scope, ...auth.scopes, previous, ...wanted]);
  return {
    serverUrl: file.serverUrl,
    ...(challenge?.resourceMetadataUrl
      ? { resourceMetadataUrl: challenge.resourceMetadataUrl }
      : {}),
    ...(scope !== undefined ? { scope } : {}),
  };
}

/** Our own errors as they are; anything else as an AuthError saying the login failed. */
function loginFailure(server: string): (error: unknown) => CodegenError {
  return (error) => {
    if (error instanceof CodegenError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new AuthError(server, `the login failed: ${reason}`, { cause: error });
  };
}

/** Client credentials (CI): one token request, under the lock other processes refresh under. */
async function loginWithClientCredentials(flow: LoginFlow): Promise<void> {
  const provider = new StoredOAuthProvider(flow.file, { server: flow.server, auth: flow.auth });
  await withLoginLock(flow.file.lockFile, flow.server, () =>
    authorize(provider, flow.request),
  ).catch((error: unknown) => {
    throw flow.failed(error);
  });
}

/** Authorization code with PKCE: the browser, then the code the loopback redirect brings back. */
async function loginInBrowser(
  flow: LoginFlow,
  stored: StoredLogin | undefined,
  options: LoginOptions,
): Promise<void> {
  const { server, auth, file, request, failed } = flow;
  const state = randomBytes(16).toString("base64url");
  const listener = await listen(server, auth.redirectPort, stored?.redirectUrl, state);
  try {
    // A client registered dynamically for another redirect URI would be refused this one.
    const registered = stored?.redirectUrl;
    if (
      auth.clientId === undefined &&
      registered !== undefined &&
      registered !== listener.redirectUrl
    ) {
      await file.update((login) => ({
        ...login,
        clientInformation: undefined,
        redirectUrl: undefined,
      }));
    }
    const provider = new StoredOAuthProvider(file, {
      server,
      auth,
      login: {
        redirectUrl: listener.redirectUrl,
        state,
        redirect: async (url) => {
          options.say(`Open this URL to log in to ${server}:\n  ${url.href}`);
          if (options.openBrowser) openInBrowser(url.href);
          options.say(`Waiting for the browser to come back to ${listener.redirectUrl} …`);
        },
      },
    });
    const first = await authorize(provider, request).catch((error: unknown) => {
      throw failed(error);
    });
    if (first !== "REDIRECT") return;
    const { code } = await withTimeout(
      listener.callback,
      options.waitMs ?? DEFAULT_WAIT_MS,
      server,
    );
    await withLoginLock(file.lockFile, server, () =>
      authorize(provider, { ...request, authorizationCode: code }),
    ).catch((error: unknown) => {
      throw failed(error);
    });
  } finally {
    await listener.close();
  }
}

/**
 * One request without a login, for the server's challenge (its `WWW-Authenticate`): an
 * `initialize` POST, or for a legacy SSE server the stream's GET. Undefined when it is not
 * refused.
 */
async function probe(
  server: ResolvedServer,
  transport: HttpTransport,
): Promise<Challenge | undefined> {
  const sse = transport.mode === "sse";
  let response: Response;
  try {
    response = await fetch(transport.url, {
      method: sse ? "GET" : "POST",
      headers: {
        ...transport.headers,
        accept: sse ? "text/event-stream" : "application/json, text/event-stream",
        ...(sse ? {} : { "content-type": "application/json" }),
      },
      ...(sse ? {} : { body: JSON.stringify(initializeRequest()) }),
      signal: AbortSignal.timeout(server.connectTimeoutMs),
      redirect: "manual",
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AuthError(
      server.name,
      `could not reach ${transport.url} (${reason}): check servers.${server.name}.url and that the server is running`,
    );
  }
  await response.body?.cancel().catch(() => {});
  if (response.status !== 401) return undefined;
  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
  return { ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}), ...(scope ? { scope } : {}) };
}

/** The challenge a refused request recorded (see session.ts), for a server that let the probe through. */
function storedChallenge(stored: StoredLogin | undefined): Challenge | undefined {
  const recorded = stored?.challenge;
  if (recorded === undefined) return undefined;
  const metadata = recorded.resourceMetadataUrl;
  return {
    ...(metadata !== undefined && URL.canParse(metadata)
      ? { resourceMetadataUrl: new URL(metadata) }
      : {}),
    ...(recorded.scope !== undefined ? { scope: recorded.scope } : {}),
  };
}

function initializeRequest() {
  return {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "mcp-codegen", version: "0.0.0" },
    },
  };
}

/**
 * Listens on the configured port, else on the port the client was registered with (so that
 * the registration's redirect URI still holds), else on a free one.
 */
async function listen(
  server: string,
  configured: number | undefined,
  registered: string | undefined,
  state: string,
): Promise<LoopbackListener> {
  if (configured !== undefined) {
    return listenForCallback(configured, state, server).catch((error: unknown) => {
      throw new AuthError(
        server,
        `cannot listen for the login's redirect on 127.0.0.1:${configured} (${(error as Error).message}): free that port or change servers.${server}.auth.redirectPort`,
      );
    });
  }
  const port =
    registered !== undefined && URL.canParse(registered) ? Number(new URL(registered).port) : 0;
  return listenForCallback(port, state, server).catch(() => listenForCallback(0, state, server));
}

/** Scopes joined with spaces, each once, in first-seen order; undefined when there are none. */
function joinScopes(parts: readonly (string | undefined)[]): string | undefined {
  const scopes = new Set(parts.flatMap((part) => part?.split(" ").filter(Boolean) ?? []));
  return scopes.size > 0 ? [...scopes].join(" ") : undefined;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, server: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AuthError(
            server,
            `no answer from the browser within ${Math.round(ms / 1000)} s: run the login again`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
