/** `serve --http [host:]port`, read before the command loads (a bad one is a usage error). */

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** `port`, `host:port` or `[v6]:port`; the host defaults to 127.0.0.1 (loopback). */
export function listenAddress(text: string): ListenAddress | { readonly problem: string } {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65535) {
    return {
      problem: `give a port (8080) or host:port (127.0.0.1:8080, [::1]:8080), not ${JSON.stringify(text)}`,
    };
  }
  return { host: (match[1] ?? "127.0.0.1").replace(/^\[|\]$/g, ""), port };
}
