/**
 * Run as its own process by lifecycle.test.ts: connects to the spawner fixture, prints the
 * server's pid and its grandchild's pid as JSON, then exits without closing the connection.
 * The exit handler of src/connect must still end the server's whole process tree.
 */
import { connect } from "../../src/connect/index.js";
import { eventually, fixture } from "./servers.js";

const connection = await connect(fixture("spawner"));
const grandchild = await eventually(
  () => /grandchild-pid=(\d+)/.exec(connection.stderrTail())?.[1],
);
process.stdout.write(
  `${JSON.stringify({ server: connection.pid, grandchild: Number(grandchild) })}\n`,
);
process.exit(0);
