/**
 * The loopback redirect of a login (RFC 8252): a listener on 127.0.0.1 that the authorization
 * server sends the browser back to, at `/callback?code=…&state=…`. It takes the first callback
 * whose `state` matches and answers the browser with a short page; anything else gets 404.
 */
import { createServer, type Server } from "node:http";
import { AuthError } from "../errors.js";

interface Callback {
  readonly code: string;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/callback`. */
  readonly redirectUrl: string;
  readonly port: number;
  /** The authorization code, once the browser comes back; rejects with the server's error. */
  readonly callback: Promise<Callback>;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: a free one). `state` is what the callback must carry; `server` names
 * the server in messages. Rejects when the port is taken.
 */
export async function listenForCallback(
  port: number,
  state: string,
  server: string,
): Promise<LoopbackListener> {
  let settle: { resolve: (c: Callback) => void; reject: (e: Error) => void } | undefined;
  const callback = new Promise<Callback>((resolve, reject) => (settle = { resolve, reject }));
  // The login may end (a failed exchange) before any callback: no unhandled rejection then.
  callback.catch(() => {});
  const http: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/callback" || url.searchParams.get("state") !== state) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    const code = url.searchParams.get("code");
    const error = url.searchParams.get("error");
    const page = (text: string) =>
      `<!doctype html><meta charset="utf-8"><title>mcp-codegen</title><p>${text}</p>\n`;
    if (code !== null && error === null) {
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(page("Logged in. You can close this tab and return to the terminal."));
      settle?.resolve({ code });
      return;
    }
    response
      .writeHead(400, { "content-type": "text/html; charset=utf-8" })
      .end(page("The login did not succeed. The terminal says why."));
    const description = url.searchParams.get("error_description");
    // What the authorization server sent is shown as plain text, cut short.
    const said = [error ?? "no code", description].filter(Boolean).join(": ").slice(0, 300);
    settle?.reject(
      new AuthError(server, `the authorization server refused the login: ${JSON.stringify(said)}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => resolve());
  });
  const address = http.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  return {
    redirectUrl: `http://127.0.0.1:${bound}/callback`,
    port: bound,
    callback,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
