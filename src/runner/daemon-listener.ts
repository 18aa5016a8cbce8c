/**
 * The daemon's socket: listening on it, the connections open on it, and its file, which goes
 * however the process ends (a signal ends the CLI at once: see cli/signals.ts).
 */
import { rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";

/** Connections at once; more are closed as they come (each may hold a 16 MiB line). */
const MAX_CONNECTIONS = 64;

export interface DaemonListener {
  /** Stops listening and ends every open connection; the socket file goes with the server. */
  close(): Promise<void>;
}

/** Listens on `socketPath` and hands every connection to `onConnection`. */
export async function listenOn(
  socketPath: string,
  onConnection: (socket: Socket) => void,
): Promise<DaemonListener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onConnection(socket);
  });
  server.maxConnections = MAX_CONNECTIONS;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  const removeSocket = () => rmSync(socketPath, { force: true });
  process.once("exit", removeSocket);
  return {
    close: () => {
      process.off("exit", removeSocket);
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
