/**
 * Where OAuth logins live: one JSON file per server URL in the user's config folder
 * (`$XDG_CONFIG_HOME/mcp-codegen/oauth/`, else `~/.config/mcp-codegen/oauth/`, on macOS too;
 * `%APPDATA%\mcp-codegen\oauth\` on Windows). Keyed by the URL, not by the config's name for
 * the server, which differs between projects. The folder is 0700 and every file 0600, written
 * to a temp file and renamed, so a reader sees the old login or the new one, never half.
 * Never in the project: nothing here can end up in a commit, a generated file or a snapshot.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import * as path from "node:path";
import type {
  OAuthClientInformationMixed,
  OAuthDiscoveryState,
  OAuthTokens,
} from "../connect/sdk.js";
import { isRecord } from "../plain-json.js";
import { tempPathFor } from "../write/atomic.js";

/** Everything kept for one server URL. Tokens never leave this file but for the Authorization header. */
export interface StoredLogin {
  readonly serverUrl: string;
  /** The config's name for the server at the last login: a hint for `auth --list`. */
  readonly serverName?: string;
  readonly grant?: "authorization_code" | "client_credentials";
  /** From dynamic registration, a Client ID Metadata Document, or the config (stamped with its issuer). */
  readonly clientInformation?: OAuthClientInformationMixed;
  /** The redirect URI the client was registered with: the next login listens on its port. */
  readonly redirectUrl?: string;
  readonly tokens?: OAuthTokens;
  /** `Date.now()` when the tokens came, and when the access token expires (if it says). */
  readonly obtainedAt?: number;
  readonly expiresAt?: number;
  /** The scopes asked for at the last login, when the token response did not list them. */
  readonly requestedScope?: string;
  /** Scopes a call was refused for (403 insufficient_scope): the next login asks for them too. */
  readonly neededScopes?: readonly string[];
  /**
   * What the server said when it last refused a request for want of a login (a server may let
   * `initialize` through and ask only later): the next login starts from it.
   */
  readonly challenge?: { readonly resourceMetadataUrl?: string; readonly scope?: string };
  readonly discoveryState?: OAuthDiscoveryState;
  /** The PKCE verifier, only while a login is waiting for its redirect. */
  readonly codeVerifier?: string;
}

/** The folder of all logins, for `env` (the process's environment). */
export function loginFolder(env: Readonly<Record<string, string | undefined>>): string {
  const base =
    env.XDG_CONFIG_HOME !== undefined && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : process.platform === "win32" && env.APPDATA !== undefined
        ? env.APPDATA
        : path.join(env.HOME ?? homedir(), ".config");
  return path.join(base, "mcp-codegen", "oauth");
}

/**
 * The URL as logins are keyed: parsed and serialised (so `HTTP://Host:443` and `http://host`
 * agree), without its fragment.
 */
export function loginKey(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.hash = "";
  return url.href;
}

/** The login file of one server URL. */
export class LoginFile {
  readonly file: string;
  /** Held while tokens are refreshed or replaced (see lock.ts). */
  readonly lockFile: string;
  readonly serverUrl: string;

  constructor(
    serverUrl: string,
    readonly folder: string,
  ) {
    this.serverUrl = loginKey(serverUrl);
    const name = createHash("sha256").update(this.serverUrl).digest("hex").slice(0, 32);
    this.file = path.join(folder, `${name}.json`);
    this.lockFile = path.join(folder, `${name}.lock`);
  }

  /** The stored login, or undefined when there is none (or it is not ours to read). */
  read(): StoredLogin | undefined {
    return parseLogin(readText(this.file), this.serverUrl);
  }

  /** Replaces the login with what `change` makes of the current one. */
  async update(change: (current: StoredLogin) => StoredLogin): Promise<StoredLogin> {
    const next = change(this.read() ?? { serverUrl: this.serverUrl });
    await writePrivate(this.file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

/** Every stored login in `folder`, in file order. */
export function storedLogins(folder: string): StoredLogin[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^[0-9a-f]{32}\.json$/.test(name))
    .flatMap((name) => {
      const login = parseLogin(readText(path.join(folder, name)), undefined);
      return login === undefined ? [] : [login];
    });
}

/** The token values stored for `serverUrl`, so that redaction knows them. */
export function storedTokenValues(
  serverUrl: string,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (!URL.canParse(serverUrl)) return [];
  const tokens = new LoginFile(serverUrl, loginFolder(env)).read()?.tokens;
  return [tokens?.access_token, tokens?.refresh_token, tokens?.id_token].filter(
    (value): value is string => typeof value === "string" && value.length > 0,
  );
}

/** Creates the folder (and its parent) readable by the user only. */
export function ensurePrivateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // An existing folder keeps its mode under mkdir: tighten both levels we own.
  chmodSync(path.dirname(folder), 0o700);
  chmodSync(folder, 0o700);
}

/** Writes `contents` to `file` as mode 0600, atomically (temp file, then rename). */
async function writePrivate(file: string, contents: string): Promise<void> {
  ensurePrivateFolder(path.dirname(file));
  const temp = tempPathFor(file);
  try {
    // "wx" with mode 0600: the file is private from its first byte, and a planted link at the
    // temp name is not followed.
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(contents, "utf8");
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** A login file's contents, if it is one (and, given `serverUrl`, for that URL). */
function parseLogin(
  text: string | undefined,
  serverUrl: string | undefined,
): StoredLogin | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.serverUrl !== "string") return undefined;
  if (serverUrl !== undefined && value.serverUrl !== serverUrl) return undefined;
  return value as unknown as StoredLogin;
}
