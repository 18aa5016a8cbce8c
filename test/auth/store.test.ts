/** The login store: private files keyed by URL, written whole; and the lock that serialises renewals. */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withLoginLock } from "../../src/auth/lock.js";
import {
  LoginFile,
  loginFolder,
  loginKey,
  storedLogins,
  storedTokenValues,
} from "../../src/auth/store.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { AuthError } from "../../src/errors.js";

const home = mkdtempSync(path.join(tmpdir(), "login-store-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const env = { XDG_CONFIG_HOME: home };
const folder = loginFolder(env);

describe("the login store", () => {
  it("lives in the user's config folder, under XDG_CONFIG_HOME or ~/.config", () => {
    expect(folder).toBe(path.join(home, "mcp-codegen", "oauth"));
    expect(loginFolder({ HOME: "/home/ada" })).toBe("/home/ada/.config/mcp-codegen/oauth");
    // A relative XDG_CONFIG_HOME is invalid by the spec: ignored.
    expect(loginFolder({ XDG_CONFIG_HOME: "rel", HOME: "/h" })).toBe(
      "/h/.config/mcp-codegen/oauth",
    );
  });

  it.each([
    ["HTTP://Example.TEST:80/mcp#frag", "http://example.test/mcp"],
    ["https://example.test:443/mcp?x=1", "https://example.test/mcp?x=1"],
  ])("keys %s as %s", (given, want) => {
    expect(loginKey(given)).toBe(want);
    expect(new LoginFile(given, folder).file).toBe(new LoginFile(want, folder).file);
  });

  it("writes 0600 files in a 0700 folder, and reads back only the login of that URL", async () => {
    const file = new LoginFile("https://a.test/mcp", folder);
    await file.update((login) => ({
      ...login,
      tokens: {
        access_token: "access-abcdef",
        refresh_token: "refresh-abcdef",
        token_type: "bearer",
      },
    }));
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(file.file).mode & 0o777).toBe(0o600);
    // No temp file is left beside it.
    expect(readdirSync(folder)).toEqual([path.basename(file.file)]);
    expect(file.read()?.tokens?.access_token).toBe("access-abcdef");
    expect(storedTokenValues("https://a.test/mcp", env)).toEqual([
      "access-abcdef",
      "refresh-abcdef",
    ]);
    expect(storedTokenValues("https://b.test/mcp", env)).toEqual([]);
    expect(storedLogins(folder).map((login) => login.serverUrl)).toEqual(["https://a.test/mcp"]);
    // A file that claims another URL (copied by hand, say) is not used for this one.
    writeFileSync(file.file, JSON.stringify({ serverUrl: "https://evil.test/mcp" }));
    expect(file.read()).toBeUndefined();
    await file.remove();
    expect(storedLogins(folder)).toEqual([]);
  });

  it("gives stored tokens and the client secret to redaction", async () => {
    const file = new LoginFile("https://c.test/mcp", folder);
    await file.update((login) => ({
      ...login,
      tokens: { access_token: "stored-access-token", token_type: "bearer" },
    }));
    const config = resolveConfig(
      {
        servers: {
          c: {
            url: "https://c.test/mcp",
            auth: { clientId: "app", clientSecret: "${APP_SECRET}", scopes: ["a"] },
          },
        },
      },
      {
        root: "/p",
        cwd: "/p",
        env: { APP_SECRET: "shh-client-secret" },
        storedTokens: (url) => storedTokenValues(url, env),
      },
    );
    const server = config.servers[0]!;
    expect(server.secrets).toEqual(["stored-access-token", "shh-client-secret"]);
    expect(server.transport).toMatchObject({
      auth: {
        grant: "authorization_code",
        clientId: "app",
        clientSecret: "shh-client-secret",
        scopes: ["a"],
      },
    });
  });
});

describe("withLoginLock", () => {
  const lockFile = path.join(folder, "test.lock");

  it("runs one holder at a time", async () => {
    const events: string[] = [];
    const hold = (name: string) =>
      withLoginLock(lockFile, "s", async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name} out`);
      });
    await Promise.all([hold("a"), hold("b")]);
    expect(events).toEqual(["a in", "a out", "b in", "b out"]);
  });

  it("takes over a lock whose owner is gone, and gives up on a live one in time", async () => {
    // A pid that is not running: far above any pid_max in use here.
    writeFileSync(lockFile, "4194000 0 0.1\n");
    expect(await withLoginLock(lockFile, "s", async () => "ran")).toBe("ran");
    writeFileSync(lockFile, `${process.pid} 0 0.2\n`);
    const error = await withLoginLock(lockFile, "notes", async () => "ran", 100).catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('server "notes": another mcp-codegen process');
    rmSync(lockFile);
  });
});
