import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.js";
import type { ResolveContext } from "../../src/config/resolve.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RUN_CONFIG,
  DEFAULT_SERVE_CONFIG,
  DEFAULT_RUNTIME_SETTINGS,
} from "../../src/config/types.js";
import type { UserConfig } from "../../src/config/types.js";
import { ConfigError } from "../../src/errors.js";

const ctx: ResolveContext = {
  file: "/proj/codegen.config.ts",
  root: "/proj",
  cwd: "/proj/sub",
  env: { GITHUB_TOKEN: "ghp_secret123", HOST: "mcp.example.test" },
};

describe("resolveConfig", () => {
  it("fills defaults for a stdio server", () => {
    const config = resolveConfig({ servers: { fs: { command: "npx" } } }, ctx);
    expect(config).toEqual({
      file: "/proj/codegen.config.ts",
      root: "/proj",
      outDir: "/proj",
      concurrency: DEFAULT_CONCURRENCY,
      servers: [
        {
          name: "fs",
          transport: { kind: "stdio", command: "npx", args: [], env: {}, cwd: "/proj" },
          include: [],
          exclude: [],
          connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
          requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
          disabled: false,
          secrets: [],
          policy: { allow: [], deny: [], approveTools: [], approveDestructive: false },
        },
      ],
      runtime: DEFAULT_RUNTIME_SETTINGS,
      run: DEFAULT_RUN_CONFIG,
      serve: DEFAULT_SERVE_CONFIG,
    });
  });

  it("resolves serve's settings, and names every bad one", () => {
    const config = resolveConfig(
      {
        servers: { fs: { command: "npx" } },
        serve: { maxRuns: 4, maxQueue: 0, maxOutput: 1000, token: "0123456789abcdef" },
      },
      ctx,
    );
    expect(config.serve).toEqual({
      maxRuns: 4,
      maxQueue: 0,
      maxOutputBytes: 1000,
      token: "0123456789abcdef",
    });
    expect(() =>
      resolveConfig(
        {
          servers: { fs: { command: "npx" } },
          serve: { maxRuns: 0, maxOutput: 10, token: "short", extra: 1 } as never,
        },
        ctx,
      ),
    ).toThrow(
      /serve\.maxRuns: must be a whole number from 1 to 64[\s\S]*serve\.maxOutput[\s\S]*serve\.token: must be at least 16[\s\S]*serve\.extra/,
    );
  });

  it("resolves the runtime and run settings", () => {
    const config = resolveConfig(
      {
        servers: { fs: { command: "npx" } },
        onDrift: "error",
        validateOutput: true,
        maxResultBytes: 65_536,
        run: {
          env: ["TZ", "LANG", "TZ"],
          timeout: 5000,
          memory: 128,
          maxOutput: 4096,
          maxWorkspace: 10,
        },
      },
      ctx,
    );
    expect(config.runtime).toEqual({
      onDrift: "error",
      validateOutput: true,
      maxResultBytes: 65_536,
    });
    expect(config.run).toEqual({
      env: ["LANG", "TZ"],
      timeoutMs: 5000,
      memoryMb: 128,
      maxOutputBytes: 4096,
      maxWorkspaceMb: 10,
    });
  });

  it("names every bad runtime or run setting", () => {
    const raw = {
      servers: { fs: { command: "npx" } },
      onDrift: "ignore",
      maxResultBytes: 10,
      run: { env: ["NOT A NAME"], memory: 1, timeout: -5, extra: true },
    } as unknown as UserConfig;
    expect(() => resolveConfig(raw, ctx)).toThrow(ConfigError);
    try {
      resolveConfig(raw, ctx);
    } catch (error) {
      const paths = (error as ConfigError).issues.map((issue) => issue.path).sort();
      expect(paths).toEqual([
        "maxResultBytes",
        "onDrift",
        "run.env.0",
        "run.extra",
        "run.memory",
        "run.timeout",
      ]);
    }
  });

  it("interpolates, resolves paths and collects secrets for every kind of server", () => {
    const raw: UserConfig = {
      outDir: "agent",
      concurrency: 8,
      servers: {
        github: {
          url: "https://${HOST}/mcp",
          headers: { Authorization: "Bearer ${GITHUB_TOKEN}" },
          timeout: 5000,
          include: ["get_*"],
        },
        fs: {
          command: "node",
          args: ["server.js", "--api-key", "k-123456"],
          cwd: "tools",
          env: { ROOT: "/data/files" },
          disabled: true,
        },
      },
    };
    const config = resolveConfig(raw, ctx);
    expect(config.outDir).toBe("/proj/agent");
    expect(config.concurrency).toBe(8);
    const [fs, github] = config.servers;
    expect(fs?.transport).toEqual({
      kind: "stdio",
      command: "node",
      args: ["server.js", "--api-key", "k-123456"],
      env: { ROOT: "/data/files" },
      cwd: "/proj/tools",
    });
    expect(fs?.disabled).toBe(true);
    // A path is no secret; a flag named for a key is.
    expect(fs?.secrets).toEqual(["k-123456"]);
    expect(github?.transport).toEqual({
      kind: "http",
      url: "https://mcp.example.test/mcp",
      headers: { Authorization: "Bearer ghp_secret123" },
      mode: "auto",
    });
    expect([github?.connectTimeoutMs, github?.requestTimeoutMs]).toEqual([5000, 5000]);
    expect(github?.include).toEqual(["get_*"]);
    // The host read from ${HOST} is no secret; the token read from ${GITHUB_TOKEN} is.
    expect(github?.secrets).toEqual(["Bearer ghp_secret123", "ghp_secret123"]);
  });

  it.each([
    ["no type or transport", { url: "http://h" }, "auto"],
    ["type sse", { url: "http://h", type: "sse" }, "sse"],
    ["type http", { url: "http://h", type: "http" }, "auto"],
    [
      "transport wins over type",
      { url: "http://h", type: "sse", transport: "streamable-http" },
      "streamable-http",
    ],
  ] as const)("http mode: %s", (_title, server, want) => {
    const [resolved] = resolveConfig({ servers: { a: server } }, ctx).servers;
    expect(resolved?.transport.kind === "http" && resolved.transport.mode).toBe(want);
  });

  it("gives each server the top-level privacy unless it has its own", () => {
    const config = resolveConfig(
      {
        privacy: true,
        servers: {
          crm: { command: "x" },
          hr: {
            command: "x",
            privacy: { detect: ["ip", "email"], patterns: { Z: "z+", A: "a+" } },
          },
          logs: { command: "x", privacy: false },
        },
      },
      ctx,
    );
    expect(config.servers.map((server) => [server.name, server.privacy])).toEqual([
      ["crm", { kinds: ["email", "phone", "card", "iban", "ip"], patterns: [] }],
      [
        "hr",
        {
          kinds: ["email", "ip"],
          patterns: [
            { name: "A", source: "a+" },
            { name: "Z", source: "z+" },
          ],
        },
      ],
      ["logs", undefined],
    ]);
    expect(resolveConfig({ servers: { a: { command: "x" } } }, ctx).servers[0]).not.toHaveProperty(
      "privacy",
    );
  });

  it("sorts servers by code unit, not by locale", () => {
    const names = resolveConfig(
      {
        servers: {
          b: { command: "x" },
          a: { command: "x" },
          C: { command: "x" },
          "a-b": { command: "x" },
          a_b: { command: "x" },
        },
      },
      ctx,
    ).servers.map((s) => s.name);
    expect(names).toEqual(["C", "a", "a-b", "a_b", "b"]);
  });

  it("outDir defaults to the config's folder, or to cwd for a JSON config", () => {
    expect(resolveConfig({ servers: { a: { command: "x" } } }, ctx).outDir).toBe("/proj");
    expect(
      resolveConfig({ servers: { a: { command: "x" } } }, { ...ctx, jsonConfig: true }).outDir,
    ).toBe("/proj/sub");
    expect(
      resolveConfig({ outDir: "o", servers: { a: { command: "x" } } }, { ...ctx, jsonConfig: true })
        .outDir,
    ).toBe("/proj/o");
  });

  it("reports every mistake in the config in one error", () => {
    const raw = {
      servers: {
        github: { url: "https://h/mcp", headers: { Authorization: "Bearer ${not a name}" } },
        fs: { command: "x", args: "--flag", env: { K: "${NO_KEY}" } },
      },
    };
    let error: unknown;
    try {
      resolveConfig(raw as unknown as UserConfig, ctx);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "servers.fs.args: must be an array of strings",
      "servers.github.headers.Authorization: ${not a name} is not a variable reference: write ${NAME} or ${NAME:-default}",
    ]);
    expect((error as ConfigError).file).toBe("/proj/codegen.config.ts");
  });

  it("makes a server that reads an unset variable or a VS Code input unusable, not the config", () => {
    const config = resolveConfig(
      {
        servers: {
          github: { url: "https://h/mcp", headers: { Authorization: "Bearer ${NO_TOKEN}" } },
          vscode: { command: "x", env: { K: "${input:api-key}" } },
          fs: { command: "x", args: ["${HOST}"] },
        },
      },
      ctx,
    );
    const [fs, github, vscode] = config.servers;
    expect(fs?.unusable).toBeUndefined();
    expect(github?.unusable).toEqual([
      {
        path: "servers.github.headers.Authorization",
        message:
          "environment variable NO_TOKEN is not set: set it where mcp-codegen and your programs run, or write ${NO_TOKEN:-default}",
      },
    ]);
    expect(vscode?.unusable?.map((i) => i.message)).toEqual([
      "${input:api-key} is a VS Code input, which only VS Code can ask for: set an environment variable and write ${env:API_KEY} instead",
    ]);
  });

  it("checks a URL once its variables are filled in", () => {
    expect(() => resolveConfig({ servers: { a: { url: "${HOST}/mcp" } } }, ctx)).toThrow(
      "servers.a.url: must be a URL (http or https) once its variables are filled in",
    );
  });

  it("reports a plain bad URL once", () => {
    expect(() => resolveConfig({ servers: { a: { url: "nope" } } }, ctx)).toThrow(
      /^The config has 1 problem in \/proj\/codegen.config.ts:\n {2}servers.a.url: must be a URL \(http or https\)$/,
    );
  });

  it("does not fail over a disabled server's missing variables", () => {
    const [server] = resolveConfig(
      { servers: { a: { command: "x", env: { T: "${NOPE}" }, disabled: true } } },
      ctx,
    ).servers;
    expect(server?.disabled).toBe(true);
  });

  describe("envFile", () => {
    const files: Record<string, string> = {
      "/proj/.env":
        "# the server's settings\nAPI_TOKEN=tok-from-file\nMODE=directory\nSHARED=from-file\n",
    };
    const readFile = (file: string) => {
      const text = files[file];
      if (text === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return text;
    };
    const withFiles = { ...ctx, readFile };

    it("adds the file's variables under env, which wins; secrets by the same rule", () => {
      const [server] = resolveConfig(
        { servers: { a: { command: "x", envFile: ".env", env: { SHARED: "from-env" } } } },
        withFiles,
      ).servers;
      expect(server?.transport).toMatchObject({
        env: { API_TOKEN: "tok-from-file", MODE: "directory", SHARED: "from-env" },
      });
      expect(server?.secrets).toEqual(["tok-from-file"]);
    });

    it("reads ${workspaceFolder} and the environment in its path", () => {
      const [server] = resolveConfig(
        { servers: { a: { command: "x", envFile: "${workspaceFolder}/.env" } } },
        { ...withFiles, vars: { workspaceFolder: "/proj" } },
      ).servers;
      expect(server?.transport).toMatchObject({ env: { MODE: "directory" } });
    });

    it("a file that is not there makes only its server unusable", () => {
      const config = resolveConfig(
        {
          servers: {
            a: { command: "x", envFile: "missing.env" },
            b: { command: "x", envFile: "missing.env", disabled: true },
            c: { command: "x" },
          },
        },
        withFiles,
      );
      expect(config.servers.map((s) => s.unusable?.map((i) => `${i.path}: ${i.message}`))).toEqual([
        [
          "servers.a.envFile: cannot read /proj/missing.env (ENOENT): create it, or fix the path (relative to the config's folder)",
        ],
        undefined,
        undefined,
      ]);
    });
  });

  describe("secrets", () => {
    it("marks env, header, ${VAR} and flag values as secrets", () => {
      const config = resolveConfig(
        {
          servers: {
            db: {
              command: "x",
              args: ["--dsn", "host=db user=app", "--tenant=${HOST}"],
              env: { CONNECTION: "server=db;user=app" },
              secrets: ["CONNECTION", "--dsn", "HOST"],
            },
            api: {
              url: "https://h/mcp",
              headers: { Accept: "application/x-custom" },
              secrets: ["accept"],
            },
          },
        },
        ctx,
      );
      expect(config.servers.map((s) => s.secrets)).toEqual([
        ["application/x-custom"],
        ["server=db;user=app", "host=db user=app", "mcp.example.test"],
      ]);
    });

    it("a name that is nothing of the server's is a mistake, with a suggestion", () => {
      expect(() =>
        resolveConfig(
          {
            servers: { a: { command: "x", env: { API_TOKN: "t" }, secrets: ["API_TOKEN", "ZZZ"] } },
          },
          ctx,
        ),
      ).toThrow(
        'servers.a.secrets.0: "API_TOKEN" is not an env variable, header, ${VAR} or args flag of this server; did you mean "API_TOKN"?\n' +
          '  servers.a.secrets.1: "ZZZ" is not an env variable, header, ${VAR} or args flag of this server',
      );
    });
  });

  it("does not mutate its input and gives the same result twice", () => {
    const raw: UserConfig = { servers: { a: { command: "${HOST}", args: ["${GITHUB_TOKEN}"] } } };
    const copy = structuredClone(raw);
    const first = resolveConfig(raw, ctx);
    expect(raw).toEqual(copy);
    expect(resolveConfig(raw, ctx)).toEqual(first);
  });
});
