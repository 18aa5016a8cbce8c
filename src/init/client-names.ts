/**
 * The clients `init --client` knows, in the order init reports them. A file of its own, with
 * no imports, so that the command line can list them without loading init.
 */
export const CLIENTS = ["claude-code", "cursor", "vscode", "claude-desktop"] as const;
export type ClientName = (typeof CLIENTS)[number];
