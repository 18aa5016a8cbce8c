/**
 * Asks the person at the terminal: on the controlling terminal (`/dev/tty`), never on stdin or
 * stdout, which may be the program's input and output. Questions wait their turn, one at a
 * time. What the program sent (the tool's name, its arguments) is shown escaped: it cannot end
 * a line, move the cursor, recolour or hide text, so it cannot forge the question. Nor can what
 * the program prints meanwhile: a host's output held by `heldWhileAsking` waits until the
 * question is answered (a program could otherwise scroll ours away under a fake one).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { ReadStream } from "node:tty";
import { escapeUnsafeCharacters } from "../model/text.js";
import type { ApprovalAnswer, ApprovalRequest, Approver } from "./approver.js";

const TERMINAL = "/dev/tty";
/** Characters of the arguments shown; the rest is counted, not shown. */
const MAX_SHOWN = 4000;

let queue: Promise<unknown> = Promise.resolve();
/** Whether a question is on the terminal now, and the writes held until it is answered. */
let asking = false;
const held: (() => void)[] = [];

interface Sink {
  write(chunk: Uint8Array | string): unknown;
}

/** `sink`, whose writes wait while a question is on the terminal, then follow in order. */
export function heldWhileAsking(sink: Sink): Sink {
  return {
    write(chunk) {
      if (!asking) return sink.write(chunk);
      const copy = typeof chunk === "string" ? chunk : Uint8Array.from(chunk);
      held.push(() => sink.write(copy));
      return true;
    },
  };
}

function questionAnswered(): void {
  asking = false;
  for (const write of held.splice(0)) write();
}

export const terminalApprover: Approver = {
  ask(request, signal) {
    const turn = queue.then(() => askNow(request, signal));
    queue = turn.catch(() => {});
    return turn;
  },
};

async function askNow(
  request: ApprovalRequest,
  signal: AbortSignal | undefined,
): Promise<ApprovalAnswer> {
  signal?.throwIfAborted();
  const ci = process.env.CI;
  if (ci !== undefined && ci !== "" && ci !== "0" && ci !== "false") {
    return {
      answer: "nobody",
      reason: "the CI environment variable is set (nobody answers in CI)",
    };
  }
  let fds: { read: number; write: number };
  try {
    fds = openTerminal();
  } catch {
    return {
      answer: "nobody",
      reason: `there is no terminal to ask on (${TERMINAL} cannot be opened: no controlling terminal)`,
    };
  }
  asking = true;
  try {
    writeSync(fds.write, question(request));
  } catch (error) {
    questionAnswered();
    throw error;
  }
  return readAnswer(fds, signal).finally(questionAnswered);
}

function openTerminal(): { read: number; write: number } {
  const read = openSync(TERMINAL, "r");
  try {
    return { read, write: openSync(TERMINAL, "w") };
  } catch (error) {
    closeSync(read);
    throw error;
  }
}

/** The first line typed: `y` or `yes` (any case) is a yes, anything else (or the end) a no. */
function readAnswer(
  fds: { read: number; write: number },
  signal: AbortSignal | undefined,
): Promise<ApprovalAnswer> {
  const input = new ReadStream(fds.read);
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let line = "";
    const done = (settle: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      input.removeAllListeners("data");
      input.destroy(); // closes fds.read
      closeSync(fds.write);
      settle();
    };
    const onAbort = () =>
      done(() => {
        writeSync(fds.write, "\n(the call was withdrawn before an answer)\n");
        reject(signal?.reason);
      });
    input.on("data", (chunk: string) => {
      line += chunk;
      // Enter is "\n" on a terminal in its usual mode, "\r" on one a program left raw, where
      // Ctrl-C and Ctrl-D arrive as characters (and answer no) instead of acting.
      const end = line.search(/[\r\n\u0003\u0004]/);
      if (end === -1) return;
      const yes = /^\s*y(es)?\s*$/i.test(line.slice(0, end));
      done(() => resolve({ answer: yes ? "yes" : "no" }));
    });
    input.once("end", () => done(() => resolve({ answer: "no" })));
    input.once("error", () => done(() => resolve({ answer: "no" })));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The question, every part the program chose written as an escaped JSON string or value. */
function question(request: ApprovalRequest): string {
  const lines = [
    "",
    `mcp-codegen: a program calls tool ${shown(request.tool)} of server ${shown(request.server)}.`,
    `  It needs your yes: ${escapeUnsafeCharacters(request.because)}.`,
    "  Arguments:",
    ...argumentLines(request.input).map((line) => `    ${line}`),
  ];
  return `${lines.join("\n")}\nAllow this call? [y/N] `;
}

function shown(text: string): string {
  return escapeUnsafeCharacters(JSON.stringify(text));
}

/**
 * The arguments as indented JSON: JSON escapes every control character of a string (a line
 * break in a value is `\n`, not a new line), and the invisible and bidi ones are escaped after.
 */
function argumentLines(input: unknown): string[] {
  let text: string;
  try {
    text = JSON.stringify(input, null, 2) ?? "(none)";
  } catch {
    return ["(arguments that cannot be written as JSON)"];
  }
  const cut = text.length > MAX_SHOWN;
  const lines = escapeUnsafeCharacters(cut ? text.slice(0, MAX_SHOWN) : text).split("\n");
  if (cut) lines.push(`… and ${text.length - MAX_SHOWN} more characters, not shown`);
  return lines;
}
