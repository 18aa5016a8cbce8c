/**
 * serve over Streamable HTTP: a Node listener in front of the SDK's fetch-shaped handler, at
 * `/mcp`. Before a request reaches the handler it must pass, in order: the path; on loopback,
 * the `Host` and `Origin` checks against DNS rebinding (a web page that rebinds its name to
 * 127.0.0.1 sends its own name as Host, and its origin); and the bearer token when there is one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
  type McpHttpHandler,
} from "./sdk.js";
import { bearerMatches, isLoopback } from "./token.js";

export interface HttpListener {
  /** `http://host:port/mcp`. */
  readonly url: string;
  close(): Promise<void>;
}

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
  readonly handler: McpHttpHandler;
  readonly log: (line: string) => void;
}

export async function listenHttp(options: HttpOptions): Promise<HttpListener> {
  const { handler } = options;
  const loopback = isLoopback(options.host);
  const server = createServer((req, res) => {
    const request = webRequest(req, res);
    const refused = refusal(request, loopback, options.token);
    const answering = refused ? Promise.resolve(refused) : handler.fetch(request);
    answering
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        options.log(
          `HTTP request failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    async close() {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Why `request` is answered without reaching the handler, if it is. */
function refusal(
  request: Request,
  loopback: boolean,
  token: string | undefined,
): Response | undefined {
  if (new URL(request.url).pathname !== "/mcp") return new Response("Not Found", { status: 404 });
  if (loopback) {
    const rejected =
      hostHeaderValidationResponse(request, localhostAllowedHostnames()) ??
      originValidationResponse(request, localhostAllowedOrigins());
    if (rejected) return rejected;
  }
  if (
    token !== undefined &&
    !bearerMatches(request.headers.get("authorization") ?? undefined, token)
  ) {
    return new Response("a bearer token is required (Authorization: Bearer <token>)", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="mcp-codegen serve"' },
    });
  }
  return undefined;
}

/** Node's request as a web Request; its body streams (the handler caps its size). */
function webRequest(req: IncomingMessage, res: ServerResponse): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, one);
    }
  }
  const aborted = new AbortController();
  res.once("close", () => aborted.abort());
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  // The URL's host is ours, not the client's: the Host check reads the header itself.
  return new Request(`http://127.0.0.1${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    signal: aborted.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
}

/** Writes the handler's response, streaming it (an SSE stream stays open while it lasts). */
async function send(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (res.destroyed) break;
      res.write(chunk);
    }
  }
  res.end();
}
