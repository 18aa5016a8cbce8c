/**
 * serve's limits seen from its client: a program over its time, output over the budget, calls
 * past the queue answered "busy, retry"; approvals asked of a client that supports
 * elicitation; the HTTP listener's token and its checks against DNS rebinding.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_VARIABLE } from "../../src/serve/token.js";
import { runCli } from "../e2e/cli.js";
import {
  CONFIG_NAME,
  connectHttp,
  connectStdio,
  execute,
  serveProject,
  startHttpServe,
  type Connected,
  type HttpServe,
  type ServeProject,
} from "./harness.js";

describe("serve's run limits", () => {
  let project: ServeProject;
  let http: HttpServe;
  let connected: Connected;
  beforeAll(async () => {
    project = await serveProject({
      run: { timeout: 3000 },
      serve: { maxRuns: 1, maxQueue: 1, maxOutput: 1000 },
    });
    http = await startHttpServe(project);
    connected = await connectHttp(http.url);
  });
  afterAll(async () => {
    await connected?.close();
    await http?.stop();
  });

  it("stops a program over its time and says which limit", async () => {
    const result = await execute(connected.client, "for (;;) {}");
    expect(result.isError).toBe(true);
    expect(result.text).toContain("[exit 124: stopped: over its time limit (run.timeout)]");
  });

  it("cuts output past serve.maxOutput, giving its full size", async () => {
    const result = await execute(connected.client, `console.log("x".repeat(4999));`);
    expect(result.isError).toBe(false);
    expect(result.text.startsWith("x".repeat(1000) + "\n[output truncated:")).toBe(true);
    expect(result.text).toContain("the program printed 5000 bytes; only the first 1000 are shown");
  });

  it("answers calls past the queue with busy, retry, and runs the others", async () => {
    const slow = `await new Promise((resolve) => setTimeout(resolve, 1500)); console.log("done");`;
    const results = await Promise.all([1, 2, 3, 4].map(() => execute(connected.client, slow)));
    const busy = results.filter((r) => r.isError);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const r of busy) expect(r.text).toMatch(/^busy, retry: 1 programs are running and 1 more/);
    expect(results.filter((r) => !r.isError).map((r) => r.text)).toContain("done\n");
    expect(results.filter((r) => !r.isError).length).toBeGreaterThanOrEqual(2);
  });
});

describe("serve's approvals, asked of the client", () => {
  const BIG = `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
console.log((await callMcpTool<ContentResult>("flaky", "big", { bytes: 3 })).text.length);`;
  let project: ServeProject;
  beforeAll(async () => {
    project = await serveProject({ servers: { flaky: { approve: { tools: ["big"] } } } });
  });

  it("makes the call when the client's user says yes, and names the call in the question", async () => {
    const asked: string[] = [];
    const connected = await connectStdio(project, {
      modern: false,
      elicit: (message) => {
        asked.push(message);
        return { action: "accept", content: { approve: true } };
      },
    });
    try {
      expect(await execute(connected.client, BIG)).toEqual({ text: "3\n", isError: false });
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain('tool "big" of server "flaky" with {"bytes":3}');
    } finally {
      await connected.close();
    }
  });

  it("refuses the call when the user says no", async () => {
    const connected = await connectStdio(project, {
      modern: false,
      elicit: () => ({ action: "decline" }),
    });
    try {
      const result = await execute(connected.client, BIG);
      expect(result.isError).toBe(true);
      expect(result.text).toContain("the person asked said no");
    } finally {
      await connected.close();
    }
  });

  it("fails the call naming the rule when the client cannot be asked", async () => {
    const connected = await connectStdio(project, { modern: false });
    try {
      const result = await execute(connected.client, BIG);
      expect(result.text).toMatch(
        /nobody can be asked: serve ran this program for a client that does not support elicitation.*servers\.flaky\.approve\.tools/s,
      );
    } finally {
      await connected.close();
    }
  });
});

describe("serve's HTTP listener", () => {
  const token = "a-long-random-test-token-0123456789";
  let project: ServeProject;
  let http: HttpServe | undefined;
  beforeAll(async () => {
    project = await serveProject();
  });
  afterAll(() => http?.stop());

  it("refuses to listen beyond loopback without a token", async () => {
    const result = await runCli(["serve", "--config", CONFIG_NAME, "--http", "0.0.0.0:0"], {
      cwd: project.dir,
      env: { [TOKEN_VARIABLE]: undefined },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`serve will not listen on 0.0.0.0 without a bearer token`);
  });

  it("rejects a usage error in --http", async () => {
    const result = await runCli(["serve", "--http", "localhost:99999"], { cwd: project.dir });
    expect(result.code).toBe(2);
  });

  it("with a token, answers only requests that carry it", async () => {
    http = await startHttpServe(project, "0.0.0.0:0", { [TOKEN_VARIABLE]: token });
    const url = http.url.replace("0.0.0.0", "127.0.0.1");
    await expect(connectHttp(url, { token: "wrong-token-wrong-token" })).rejects.toThrow();
    await expect(connectHttp(url)).rejects.toThrow();
    const connected = await connectHttp(url, { token });
    try {
      expect(await execute(connected.client, "console.log(1 + 1);")).toEqual({
        text: "2\n",
        isError: false,
      });
    } finally {
      await connected.close();
    }
  });

  it("on loopback, refuses a foreign Host or Origin (DNS rebinding)", async () => {
    const local = await startHttpServe(project);
    try {
      const { port } = new URL(local.url);
      const post = (headers: Record<string, string>) => statusOf(Number(port), headers);
      expect(await post({ host: "evil.example" })).toBe(403);
      expect(await post({ host: `127.0.0.1:${port}`, origin: "http://evil.example" })).toBe(403);
      expect(await post({ host: `localhost:${port}` })).not.toBe(403);
    } finally {
      await local.stop();
    }
  });
});

/** The status of a POST of an empty JSON-RPC list to `/mcp` with `headers`. */
function statusOf(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/mcp",
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end("{}");
  });
}
