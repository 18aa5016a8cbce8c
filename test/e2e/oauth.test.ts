/**
 * OAuth end to end: the built CLI against the OAuth fixture (the SDK's authorization server and
 * a bearer-protected MCP endpoint on 127.0.0.1). The "browser" is an HTTP client that follows
 * the authorization URL the CLI prints; the authorization server redirects it to the CLI's
 * loopback listener, as a browser would. Tokens go to a temp config folder (XDG_CONFIG_HOME).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  startOAuthFixture,
  type OAuthFixtureOptions,
} from "../../fixtures/servers/lib/oauth-fixture.mjs";
import { readTree, ROOT, runCli, tempProject, type CliResult } from "./cli.js";

const BIN = path.join(ROOT, "bin/mcp-codegen.js");
const READ = `import * as notes from "./servers/notes/index.js";
console.log(JSON.stringify(await notes.readNotes({ filter: "today" })));
`;
const WRITE = `import * as notes from "./servers/notes/index.js";
await notes.writeNote({ text: "hello" });
console.log("written");
`;

/** Each test runs the CLI several times (a run starts a sandbox): slow on a busy machine. */
const SLOW_MS = 120_000;

const configHomes: string[] = [];
afterAll(() => {
  for (const dir of configHomes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fixture, a project whose config names it `notes`, and a private config folder. */
async function setup(options: OAuthFixtureOptions = {}, auth?: object) {
  const fixture = await startOAuthFixture(options);
  const configHome = mkdtempSync(path.join(tmpdir(), "oauth-home-"));
  configHomes.push(configHome);
  const dir = tempProject({
    ".mcp.json": {
      mcpServers: { notes: { url: "${NOTES_URL}", timeout: 10_000, ...(auth ? { auth } : {}) } },
    },
    "read.ts": READ,
    "write.ts": WRITE,
  });
  const env = {
    NOTES_URL: fixture.mcpUrl,
    ISSUER: fixture.url,
    XDG_CONFIG_HOME: configHome,
    CI_SECRET: "ci-secret-9f2b7d",
  };
  const cli = (args: string[]) => runCli(args, { cwd: dir, env, timeoutMs: 60_000 });
  const loginFolder = path.join(configHome, "mcp-codegen", "oauth");
  const stored = () =>
    readdirSync(loginFolder)
      .filter((name) => name.endsWith(".json"))
      .map((name) => JSON.parse(readFileSync(path.join(loginFolder, name), "utf8")));
  return { fixture, dir, env, cli, configHome, loginFolder, stored };
}

/**
 * `mcp-codegen auth notes --no-browser`, with the URL it prints followed like a browser would.
 * Returns the CLI's result and the authorization URL.
 */
/** Logs in and generates the tree that the programs import. */
async function loginAndGenerate(ctx: Awaited<ReturnType<typeof setup>>) {
  const login = await loginWithBrowser(ctx.dir, ctx.env);
  expect(login.code, login.stderr).toBe(0);
  const generate = await ctx.cli(["generate"]);
  expect(generate.code, generate.stderr).toBe(0);
}

async function loginWithBrowser(
  dir: string,
  env: Record<string, string>,
  extra: string[] = [],
): Promise<CliResult & { authorizationUrl: string }> {
  const child = spawn(process.execPath, [BIN, "auth", "notes", "--no-browser", ...extra], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let authorizationUrl = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  const browsed = new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
      const found = /(http:\/\/127\.0\.0\.1:\d+\/authorize\S*)/.exec(stderr)?.[1];
      if (found !== undefined && authorizationUrl === "") {
        authorizationUrl = found;
        fetch(found)
          .then(async (response) => {
            expect(response.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
            expect(await response.text()).toContain("Logged in");
            resolve();
          })
          .catch(reject);
      }
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (authorizationUrl !== "") await browsed;
  return { code, stdout, stderr, authorizationUrl };
}

/** Every place a token could leak to, as one string: outputs, the project's files. */
function everythingWritten(dir: string, results: CliResult[]): string {
  const tree = readTree(dir);
  return [...results.flatMap((r) => [r.stdout, r.stderr]), ...Object.values(tree)].join("\n");
}

function tokensOf(login: { tokens?: { access_token?: string; refresh_token?: string } }) {
  return [login.tokens?.access_token, login.tokens?.refresh_token].filter(
    (t): t is string => typeof t === "string",
  );
}

describe("OAuth login with the authorization code grant", { timeout: SLOW_MS }, () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (ctx = await setup()));
  afterEach(() => ctx.fixture.close());

  it("logs in, lists, generates and runs with the token, and logs out", async () => {
    const { fixture, dir, env, cli, loginFolder, stored, configHome } = ctx;
    const results: CliResult[] = [];

    // Without a login: a clear error naming the command, and no browser flow started.
    const before = await cli(["generate"]);
    results.push(before);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('server "notes"');
    expect(before.stderr).toContain("npx mcp-codegen auth notes");
    expect(fixture.stats().authorizations).toBe(0);
    expect(fixture.stats().registrations).toBe(0);

    const login = await loginWithBrowser(dir, env);
    results.push(login);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`Logged in to notes (${fixture.mcpUrl}): scopes: notes:read`);
    const url = new URL(login.authorizationUrl);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("resource")).toBe(fixture.mcpUrl);
    expect(url.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(fixture.stats()).toMatchObject({ registrations: 1, codeExchanges: 1 });

    // Private files in a private folder, none in the project.
    for (const folder of [loginFolder, path.dirname(loginFolder)]) {
      expect(statSync(folder).mode & 0o777).toBe(0o700);
    }
    const files = readdirSync(loginFolder);
    expect(files.filter((name) => name.endsWith(".json"))).toHaveLength(1);
    for (const name of files)
      expect(statSync(path.join(loginFolder, name)).mode & 0o777).toBe(0o600);
    const [record] = stored();
    expect(record.serverUrl).toBe(fixture.mcpUrl);
    expect(record.codeVerifier).toBeUndefined();
    const secrets = tokensOf(record);
    expect(secrets).toHaveLength(2);

    const list = await cli(["auth", "--list"]);
    results.push(list);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(
        `^notes  ${fixture.mcpUrl.replace(/[.]/g, "\\.")}  scopes: notes:read, expires in 60 min\n$`,
      ),
    );

    const generate = await cli(["generate"]);
    results.push(generate);
    expect(generate.code, generate.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "servers/notes/readNotes.ts"), "utf8")).toContain(
      '"read_notes"',
    );
    const check = await cli(["check"]);
    results.push(check);
    expect(check.code, check.stderr).toBe(0);

    const run = await cli(["run", "read.ts"]);
    results.push(run);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('{\\"filter\\":\\"today\\"}');

    const written = everythingWritten(dir, results);
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written).not.toContain(configHome);

    const logout = await cli(["auth", "--logout", "notes"]);
    expect(logout.stdout).toBe(`Logged out of notes (${fixture.mcpUrl}).\n`);
    expect(stored()).toEqual([]);
    const after = await cli(["run", "read.ts"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("needs a login");
    expect(after.stderr).toContain("npx mcp-codegen auth notes");
    expect((await cli(["auth", "--list"])).stdout).toMatch(/^No logins/);
  });

  it("renews an access token the server refuses (401), once, and keeps working", async () => {
    const { fixture, cli, stored } = ctx;
    await loginAndGenerate(ctx);
    const first = tokensOf(stored()[0]);
    fixture.expireAccessTokens();
    const run = await cli(["run", "read.ts"]);
    expect(run.code, run.stderr).toBe(0);
    expect(fixture.stats()).toMatchObject({ refreshes: 1, refusedRefreshes: 0 });
    expect(fixture.stats().rejectedTokens).toBeGreaterThanOrEqual(1);
    const renewed = tokensOf(stored()[0]);
    expect(renewed).toHaveLength(2);
    expect(renewed.some((token) => first.includes(token))).toBe(false);
    for (const token of [...first, ...renewed])
      expect(run.stdout + run.stderr).not.toContain(token);
  });

  it("asks for more scopes when a call needs them (step-up)", async () => {
    const { fixture, dir, env, cli } = ctx;
    await loginAndGenerate(ctx);
    const refused = await cli(["run", "write.ts"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('needs more access (scope "notes:read notes:write")');
    expect(refused.stderr).toContain("npx mcp-codegen auth notes");
    expect(fixture.stats().stepUpRefusals).toBe(1);

    const again = await loginWithBrowser(dir, env);
    expect(again.code, again.stderr).toBe(0);
    expect(new URL(again.authorizationUrl).searchParams.get("scope")).toBe(
      "notes:read notes:write",
    );
    expect(again.stdout).toContain("scopes: notes:read notes:write");
    // The registration is reused: same redirect port, no second client.
    expect(fixture.stats().registrations).toBe(1);
    const written = await cli(["run", "write.ts"]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe("written\n");
  });
});

describe("OAuth refresh timing", { timeout: SLOW_MS }, () => {
  it("renews a token before it expires, without a refused request", async () => {
    const ctx = await setup({ accessTtlSeconds: 2 });
    try {
      await loginAndGenerate(ctx);
      const before = ctx.fixture.stats();
      const obtainedAt = ctx.stored()[0].obtainedAt as number;
      // Past the stored token's expiry (generate may have renewed it already, under load).
      await new Promise((resolve) => setTimeout(resolve, obtainedAt + 2_100 - Date.now()));
      const run = await ctx.cli(["run", "read.ts"]);
      expect(run.code, run.stderr).toBe(0);
      const after = ctx.fixture.stats();
      expect(after.refreshes - before.refreshes).toBe(1);
      expect(after.rejectedTokens - before.rejectedTokens).toBe(0);
    } finally {
      await ctx.fixture.close();
    }
  });

  it("refreshes once when two processes need it at the same time", async () => {
    const ctx = await setup({ refreshDelayMs: 400 });
    try {
      await loginAndGenerate(ctx);
      ctx.fixture.expireAccessTokens();
      const [a, b] = await Promise.all([ctx.cli(["run", "read.ts"]), ctx.cli(["run", "read.ts"])]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      // One refresh token spent: the second process used what the first one stored.
      expect(ctx.fixture.stats()).toMatchObject({ refreshes: 1, refusedRefreshes: 0 });
    } finally {
      await ctx.fixture.close();
    }
  });
});

describe("OAuth client credentials", { timeout: SLOW_MS }, () => {
  it("gets a token without a person, and keeps the secret out of every output", async () => {
    const ctx = await setup(
      { clients: [{ client_id: "ci-runner", client_secret: "ci-secret-9f2b7d" }] },
      {
        grant: "client_credentials",
        clientId: "ci-runner",
        clientSecret: "${CI_SECRET}",
        issuer: "${ISSUER}",
      },
    );
    try {
      const run = await ctx.cli(["generate"]);
      expect(run.code, run.stderr).toBe(0);
      const again = await ctx.cli(["run", "read.ts"]);
      expect(again.code, again.stderr).toBe(0);
      // The token fetched for generate served the run.
      expect(ctx.fixture.stats()).toMatchObject({ clientCredentials: 1, authorizations: 0 });
      const list = await ctx.cli(["auth", "--list"]);
      expect(list.stdout).toContain("scopes: notes:read, client credentials, expires in 60 min");
      const [record] = ctx.stored();
      expect(JSON.stringify(record)).not.toContain("ci-secret-9f2b7d");
      // The SDK warns on stderr about credentials not bound to an issuer: these are.
      expect(run.stderr + again.stderr).not.toContain("[mcp-sdk]");
      const written = everythingWritten(ctx.dir, [run, again, list]);
      for (const secret of [...tokensOf(record), "ci-secret-9f2b7d"]) {
        expect(written).not.toContain(secret);
      }
    } finally {
      await ctx.fixture.close();
    }
  });

  it("names the fields to check when the secret is wrong", async () => {
    const ctx = await setup(
      { clients: [{ client_id: "ci-runner", client_secret: "another-secret" }] },
      {
        grant: "client_credentials",
        clientId: "ci-runner",
        clientSecret: "${CI_SECRET}",
        issuer: "${ISSUER}",
      },
    );
    try {
      const run = await ctx.cli(["generate"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("refused its client credentials");
      expect(run.stderr).toContain("servers.notes.auth.clientId and clientSecret");
      expect(run.stderr).not.toContain("ci-secret-9f2b7d");
      expect(run.stderr).not.toContain("[mcp-sdk]");
    } finally {
      await ctx.fixture.close();
    }
  });
});
