/**
 * Progress for people: on a terminal, one live line per server (connecting, listed N tools,
 * failed); in CI or when piped, plain lines as things happen. Warnings are collected and
 * summarised at the end, not dumped line by line.
 */
import { formatWarning, type Reporter, type ServerStatus, type Warning } from "../log.js";
import { stripUnsafeCharacters } from "../model/text.js";
import { plural } from "../plural.js";

export interface CliReporter extends Reporter {
  readonly warnings: Warning[];
  /** Stops the live display; prints the warnings summary. */
  finish(options?: { verbose?: boolean }): void;
}

export async function createReporter(options: {
  quiet: boolean;
  stream: NodeJS.WriteStream;
  live?: boolean;
}): Promise<CliReporter> {
  // A terminal that reports no width (some pseudo-terminals) would show the live lines cut to
  // nothing: plain lines there, as in CI.
  const live =
    options.live ??
    (options.stream.isTTY === true && (options.stream.columns ?? 0) > 0 && !process.env.CI);
  const statuses = new Map<string, string>();
  const warnings: Warning[] = [];
  // The live display's library is loaded only for a terminal: CI and pipes never pay for it.
  const update =
    live && !options.quiet
      ? (await import("log-update")).createLogUpdate(options.stream)
      : undefined;
  const write = (line: string) => {
    if (!options.quiet) options.stream.write(`${line}\n`);
  };

  return {
    warnings,
    serverStatus(server, status) {
      const line = `${server}: ${describe(status)}`;
      if (update && !options.quiet) {
        statuses.set(server, line);
        update([...statuses.values()].join("\n"));
      } else if (status.kind === "failed" || !options.quiet) {
        options.stream.write(`${line}\n`);
      }
    },
    info: write,
    warn(warning) {
      warnings.push(warning);
    },
    finish({ verbose = false } = {}) {
      update?.done();
      if (warnings.length === 0 || options.quiet) return;
      // Text that may steer the model is shown first, up to 20 lines, beside the usual five.
      const flagged = warnings.filter((w) => w.kind === "instructions");
      const others = warnings.filter((w) => w.kind !== "instructions");
      const shown = verbose
        ? [...flagged, ...others]
        : [...flagged.slice(0, 20), ...others.slice(0, 5)];
      const byServer = new Map<string, number>();
      for (const w of warnings) byServer.set(w.server, (byServer.get(w.server) ?? 0) + 1);
      const counts = [...byServer].map(([s, n]) => `${s} ${n}`).join(", ");
      write(`${plural(warnings.length, "warning")} (${counts}):`);
      for (const w of shown) write(`  ${oneLine(formatWarning(w))}`);
      if (shown.length < warnings.length) {
        write(
          `  … and ${warnings.length - shown.length} more; run with --verbose to see them all.`,
        );
      }
    },
  };
}

function describe(status: ServerStatus): string {
  switch (status.kind) {
    case "connecting":
      return "connecting…";
    case "listed":
      return (
        `listed ${plural(status.tools, "tool")}` +
        (status.kept !== undefined ? `, kept ${status.kept} by include/exclude` : "") +
        (status.skipped ? `, skipped ${status.skipped} invalid` : "") +
        (status.ms ? ` (${status.ms} ms)` : "")
      );
    case "failed":
      return `failed: ${oneLine(status.error)}`;
    case "skipped":
      return `skipped (${status.reason})`;
    case "written":
      return status.changed === 0
        ? `up to date (${plural(status.files, "file")})`
        : `written (${status.changed} of ${plural(status.files, "file")} changed)`;
  }
}

/** Server-supplied text reaches the terminal: no escape sequences, one line, capped. */
function oneLine(text: string): string {
  const flat = stripUnsafeCharacters(text).replace(/\s*\n\s*/g, " | ");
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}
