/** Where a warning points: the server, and where known the tool and the field. */
export interface Warning {
  readonly server: string;
  readonly tool?: string;
  readonly field?: string;
  readonly message: string;
  /**
   * `instructions`: text that may be written for the model rather than the reader (see
   * model/instructions.ts). Such warnings are always shown, before the others.
   */
  readonly kind?: "instructions";
}

/** Formats a warning as one line: `memory/create_entities inputSchema.properties.x: message`. */
export function formatWarning(warning: Warning): string {
  const where = [warning.server, warning.tool].filter(Boolean).join("/");
  const field = warning.field ? ` ${warning.field}` : "";
  return `${where}${field}: ${warning.message}`;
}

/** What the pipeline reports while it works; the CLI renders it for a terminal or for CI. */
export interface Reporter {
  /** A server changed state: connecting, listed N tools, failed, written. */
  serverStatus(server: string, status: ServerStatus): void;
  /** A single informative line (plan summary, timings). */
  info(message: string): void;
  /** Warnings are collected by the caller and summarised, not printed one by one. */
  warn(warning: Warning): void;
}

export type ServerStatus =
  | { readonly kind: "connecting" }
  | {
      readonly kind: "listed";
      readonly tools: number;
      readonly skipped: number;
      readonly ms: number;
      /** How many tools `include`/`exclude` keep, for a server that has them. */
      readonly kept?: number;
    }
  | { readonly kind: "failed"; readonly error: string }
  | { readonly kind: "skipped"; readonly reason: string }
  | { readonly kind: "written"; readonly files: number; readonly changed: number };

/** A reporter that drops everything: the default for library callers. */
export const silentReporter: Reporter = {
  serverStatus() {},
  info() {},
  warn() {},
};
