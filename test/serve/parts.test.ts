/** serve's small parts, table-driven: the listen address, the token, the workspace's name, the output budget. */
import { describe, expect, it } from "vitest";
import { listenAddress } from "../../src/cli/listen-address.js";
import { clientWorkspace, tokenPrincipal } from "../../src/serve/client.js";
import { CollectedOutput } from "../../src/serve/output.js";
import { bearerMatches, isLoopback, serveToken, TOKEN_VARIABLE } from "../../src/serve/token.js";

describe("--http [host:]port", () => {
  it.each([
    { given: "8080", want: { host: "127.0.0.1", port: 8080 } },
    { given: "0", want: { host: "127.0.0.1", port: 0 } },
    { given: "0.0.0.0:9", want: { host: "0.0.0.0", port: 9 } },
    { given: "[::1]:8080", want: { host: "::1", port: 8080 } },
    { given: "localhost:65535", want: { host: "localhost", port: 65535 } },
  ])("$given", ({ given, want }) => {
    expect(listenAddress(given)).toEqual(want);
  });

  it.each(["", "http", "host:", ":80", "::1:80", "a:65536", "a:b:1"])("refuses %j", (given) => {
    expect(listenAddress(given)).toHaveProperty("problem");
  });
});

describe("the token", () => {
  const token = "0123456789abcdef-token";
  it.each([
    { header: `Bearer ${token}`, want: true },
    { header: `bearer ${token}`, want: true },
    { header: `Bearer ${token}x`, want: false },
    { header: "Bearer ", want: false },
    { header: token, want: false },
    { header: undefined, want: false },
  ])("$header matches: $want", ({ header, want }) => {
    expect(bearerMatches(header, token)).toBe(want);
  });

  it("is required beyond loopback, from the config or the environment", () => {
    expect(() => serveToken(undefined, {}, "0.0.0.0")).toThrow(/without a bearer token/);
    expect(serveToken(undefined, { [TOKEN_VARIABLE]: token }, "0.0.0.0")).toBe(token);
    expect(serveToken(token, { [TOKEN_VARIABLE]: "other-other-other" }, "::")).toBe(token);
    expect(serveToken(undefined, {}, "127.0.0.1")).toBeUndefined();
    expect(() => serveToken("short", {}, "127.0.0.1")).toThrow(/shorter than 16/);
  });

  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["[::1]", true],
    ["localhost", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.2", false],
  ] as const)("%s is loopback: %s", (host, want) => {
    expect(isLoopback(host)).toBe(want);
  });
});

describe("a client's workspace", () => {
  it("is named from the client and the principal, never from the token itself", () => {
    const token = "a-secret-token-0123456789";
    const folder = clientWorkspace("/p", {
      principal: tokenPrincipal(token),
      name: "Claude Desktop",
    });
    expect(folder).toMatch(/^\/p\/workspace\/claude-desktop-[0-9a-f]{12}$/);
    expect(folder).not.toContain(token);
  });

  it("differs by principal and by name, and is stable", () => {
    const of = (principal: string, name?: string) => clientWorkspace("/p", { principal, name });
    expect(of("stdio", "a")).toBe(of("stdio", "a"));
    expect(new Set([of("stdio", "a"), of("stdio", "b"), of("http", "a"), of("stdio")]).size).toBe(
      4,
    );
    expect(of("stdio")).toMatch(/\/client-[0-9a-f]{12}$/);
    expect(of("stdio", "../../etc")).toMatch(/\/workspace\/etc-[0-9a-f]{12}$/);
  });
});

describe("the output budget", () => {
  it("keeps what fits, and gives the full size when it cuts", () => {
    const small = new CollectedOutput("output", 256);
    small.sink.write("hello\n");
    expect(small.text()).toBe("hello\n");
    const big = new CollectedOutput("output", 256);
    big.sink.write("é".repeat(200));
    expect(big.text()).toBe(
      `${"é".repeat(128)}\n[output truncated: the program printed 400 bytes; only the first 256 are shown (serve.maxOutput is 256). Print less: a summary, a count, the lines that matter.]\n`,
    );
  });
});
