/**
 * serve's tests drive it as a client would: the built CLI (`npm run build` first) started over
 * stdio by the SDK's client, or listening on HTTP, with a project whose two fixture servers
 * (`flaky`, SDK 1.x; `modern`, 2026-07-28 only) are generated into its tree first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { expect } from "vitest";
import { fixture, newMarker, ROOT, runCli, tempProject } from "../e2e/cli.js";

export const BIN = path.join(ROOT, "bin/mcp-codegen.js");
export const CONFIG_NAME = "codegen.config.mjs";

export interface ServeProject {
  readonly dir: string;
  /** In the servers' environment: `processesWithMarker` finds them. */
  readonly marker: Record<string, string>;
}

/** A project with `flaky` and `modern`, its tree generated; `extra` is merged into the config. */
export async function serveProject(extra: Record<string, unknown> = {}): Promise<ServeProject> {
  const marker = newMarker();
  const { servers: extraServers, ...rest } = extra as { servers?: Record<string, object> };
  const servers = {
    flaky: { ...fixture("flaky"), env: marker, ...extraServers?.["flaky"] },
    modern: { ...fixture("modern"), env: marker },
  };
  const dir = tempProject({
    [CONFIG_NAME]: `export default ${JSON.stringify({ servers, ...rest }, null, 2)};\n`,
  });
  const generated = await runCli(["generate", "--config", CONFIG_NAME], { cwd: dir });
  expect(generated.stderr).toContain("servers: 13 tools from 2 servers");
  return { dir, marker };
}

export interface Connected {
  readonly client: Client;
  close(): Promise<void>;
}

export interface ClientOptions {
  /** `clientInfo.name`: the client's workspace follows from it. Default "test-client". */
  readonly name?: string;
  /** Speak 2026-07-28 (negotiated) rather than 2025-11-25 (`initialize`). Default true. */
  readonly modern?: boolean;
  /** Declare elicitation and answer every question with this. */
  readonly elicit?: (message: string) => {
    action: "accept" | "decline";
    content?: Record<string, string | number | boolean>;
  };
}

function newClient(options: ClientOptions): Client {
  const client = new Client(
    { name: options.name ?? "test-client", version: "1.0.0" },
    { capabilities: options.elicit ? { elicitation: { form: {} } } : {} },
  );
  if (options.modern !== false) client.setVersionNegotiation({ mode: "auto" });
  const answer = options.elicit;
  if (answer) {
    client.setRequestHandler("elicitation/create", async (request) =>
      answer((request.params as { message: string }).message),
    );
  }
  return client;
}

/** `mcp-codegen serve` over stdio, started by the SDK's client transport. */
export async function connectStdio(
  project: ServeProject,
  options: ClientOptions = {},
): Promise<Connected & { stderr: () => string; pid: () => number | null }> {
  const client = newClient(options);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "serve", "--config", CONFIG_NAME],
    cwd: project.dir,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    pid: () => transport.pid,
    close: () => client.close(),
  };
}

export interface HttpServe {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** `mcp-codegen serve --http <listen>`, once it says where it listens. */
export async function startHttpServe(
  project: ServeProject,
  listen = "127.0.0.1:0",
  env: Record<string, string> = {},
): Promise<HttpServe> {
  const child = spawn(process.execPath, [BIN, "serve", "--config", CONFIG_NAME, "--http", listen], {
    cwd: project.dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 30_000);
    child.stderr!.on("data", () => {
      const found = / on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`serve exited:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A client of serve over HTTP. */
export async function connectHttp(
  url: string,
  options: ClientOptions & { token?: string } = {},
): Promise<Connected> {
  const client = newClient(options);
  const headers: Record<string, string> = options.token
    ? { authorization: `Bearer ${options.token}` }
    : {};
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return { client, close: () => client.close() };
}

export interface Executed {
  readonly text: string;
  readonly isError: boolean;
}

/** Calls `execute_code`; the result's text blocks joined. */
export async function execute(client: Client, code: string): Promise<Executed> {
  const result = await client.callTool({ name: "execute_code", arguments: { code } });
  const content = result.content as { type: string; text?: string }[];
  return {
    text: content.map((block) => block.text ?? "").join("\n"),
    isError: result.isError === true,
  };
}
