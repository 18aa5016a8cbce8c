/**
 * Who a call comes from, as far as serve can tell, and the workspace that follows from it.
 *
 * 2026-07-28 is stateless: there is no session to hang a workspace on, so each client's lives
 * on disk under `workspace/`, in a folder named from what every request carries: the
 * principal the transport authenticated (stdio: the process that started serve; HTTP: the
 * bearer token, or loopback without one) and the client's name (`clientInfo`, sent in
 * `initialize` or in each request's `_meta`). The same client finds its files again after a
 * restart; another client, or the same one with another token, gets another folder, and its
 * programs can neither import nor stage anything outside their own.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";

export interface ClientIdentity {
  /** What the transport vouches for: `stdio`, `http`, or `token:<hash>` (never the token). */
  readonly principal: string;
  /** The name the client gave (`clientInfo.name`); undefined when it gave none. */
  readonly name: string | undefined;
}

/** The client's own folder: `<outDir>/workspace/<name>-<hash>`. */
export function clientWorkspace(outDir: string, client: ClientIdentity): string {
  const hash = createHash("sha256")
    .update(`${client.principal}\0${client.name ?? ""}`)
    .digest("hex")
    .slice(0, 12);
  return path.join(outDir, "workspace", `${slug(client.name)}-${hash}`);
}

/** The principal of HTTP requests with `token` (a hash: the folder name must not leak it). */
export function tokenPrincipal(token: string | undefined): string {
  if (token === undefined) return "http";
  return `token:${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
}

/** A client's name as a folder name: lower-case letters, digits and dashes, at most 32. */
function slug(name: string | undefined): string {
  const cleaned = (name ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/, "");
  return cleaned === "" ? "client" : cleaned;
}
