/**
 * One client's connection to the daemon, from its first byte: it must prove itself with the
 * daemon's token in its first message (within a few seconds, in a short line), or it is closed
 * with no reply at all; then each of its messages is checked before the daemon acts on it.
 * Whatever one client sends, only its own connection suffers.
 */
import type { Socket } from "node:net";
import {
  parseClientMessage,
  type ClientMessage,
  type DaemonMessage,
  type HelloMessage,
  type RunMessage,
} from "./daemon-messages.js";
import { MAX_LINE_BYTES, readLines, writeLine } from "./daemon-socket.js";
import { tokenMatches } from "./daemon-token-owner.js";

/** The longest first line: a hello is a token and a path, far below this. */
const MAX_FIRST_LINE_BYTES = 64 * 1024;
/** How long a client may take to send its first message. */
const FIRST_MESSAGE_TIMEOUT_MS = 5_000;

export interface ConnectionHandlers {
  /** The daemon's token, which the first message must carry. */
  readonly token: Buffer;
  readonly log: (line: string) => void;
  /** The reply to a hello: a hello with the allowed variables, or a refusal. */
  readonly hello: (message: HelloMessage) => Promise<DaemonMessage>;
  readonly status: () => DaemonMessage;
  /** Forgets what the daemon read of the tree (`generate --watch` regenerated it). */
  readonly reload: () => Promise<void>;
  /** Stops the daemon (after the reply went out). */
  readonly stop: () => void;
  /** Runs the program, writing its output and exit to `socket`; stops if it closes. */
  readonly run: (socket: Socket, message: RunMessage) => Promise<void>;
}

/** What one connection has done so far: each of these may happen once. */
interface Conversation {
  greeted: boolean;
  ran: boolean;
  /** The variables a run may carry, from the daemon's reply to the hello. */
  envAllowed: readonly string[] | undefined;
}

export function serveConnection(socket: Socket, handlers: ConnectionHandlers): void {
  let trusted = false;
  let distrusted = false;
  let sentSomething = false;
  const conversation: Conversation = { greeted: false, ran: false, envAllowed: undefined };

  const distrust = () => {
    if (distrusted) return;
    distrusted = true;
    socket.destroy();
    // Once per connection, and never what it sent: that may be anything, of any size.
    handlers.log("a client without the token connected; closed");
  };

  const firstMessageTimer = setTimeout(distrust, FIRST_MESSAGE_TIMEOUT_MS);
  socket.once("close", () => clearTimeout(firstMessageTimer));
  socket.once("data", () => (sentSomething = true));
  socket.once("end", () => {
    // A client that connected and left without a word (a probe for a running daemon) is fine.
    if (!trusted && sentSomething) distrust();
  });

  readLines(
    socket,
    (raw) => {
      let unsigned = raw;
      if (!trusted) {
        if (typeof raw !== "object" || raw === null) return distrust();
        const { token, ...rest } = raw as { token?: unknown };
        if (!tokenMatches(handlers.token, token)) return distrust();
        trusted = true;
        clearTimeout(firstMessageTimer);
        unsigned = rest;
      }
      const parsed = parseClientMessage(unsigned, conversation.envAllowed);
      if ("problem" in parsed) return refuse(socket, `the daemon refused ${parsed.problem}`);
      dispatch(socket, parsed.message, conversation, handlers);
    },
    {
      maxLineBytes: () => (trusted ? MAX_LINE_BYTES : MAX_FIRST_LINE_BYTES),
      onBadLine: (problem) => {
        if (!trusted) return distrust();
        handlers.log(
          problem === "too long"
            ? `a client sent a line over ${MAX_LINE_BYTES / 1024 / 1024} MiB; closed`
            : "a client sent a line that is not JSON; closed",
        );
      },
    },
  );
}

/** A checked message from a trusted client, to the handler of its type. */
function dispatch(
  socket: Socket,
  message: ClientMessage,
  conversation: Conversation,
  handlers: ConnectionHandlers,
): void {
  switch (message.type) {
    case "hello":
      if (conversation.greeted) return refuse(socket, "the daemon refused a second hello");
      conversation.greeted = true;
      void handlers.hello(message).then(
        (reply) => {
          if (reply.type === "hello") conversation.envAllowed = reply.envAllowed;
          if (reply.type === "refused") refuse(socket, reply.message);
          else writeLine(socket, reply);
        },
        (error: unknown) => refuse(socket, error instanceof Error ? error.message : String(error)),
      );
      return;
    case "status":
      return writeLine(socket, handlers.status());
    case "reload":
      void handlers.reload().then(
        () => writeLine(socket, { type: "reloaded" } satisfies DaemonMessage),
        (error: unknown) => refuse(socket, error instanceof Error ? error.message : String(error)),
      );
      return;
    case "stop":
      // Stopping closes every connection: this one once its reply is out.
      return writeLine(socket, { type: "stopping" } satisfies DaemonMessage, handlers.stop);
    case "run":
      if (conversation.ran) {
        return refuse(socket, "the daemon refused a second run on one connection");
      }
      conversation.ran = true;
      void handlers.run(socket, message);
      return;
  }
}

/** Says why, then closes once the reply is out. */
function refuse(socket: Socket, message: string): void {
  writeLine(socket, { type: "refused", message } satisfies DaemonMessage);
  socket.destroySoon();
}
