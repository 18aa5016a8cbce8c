// Reference for the generation benchmark: spawn a server, initialize, list its tools, exit.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { z } from "zod";

const [fixture, count] = process.argv.slice(2);
const client = new Client({ name: "bench", version: "0" });
await client.connect(
  new StdioClientTransport({ command: process.execPath, args: [fixture, "--count", count] }),
);
const lenient = z.object({ tools: z.array(z.unknown()) }).passthrough();
const { tools } = await client.request({ method: "tools/list", params: {} }, lenient);
if (tools.length !== Number(count)) throw new Error(`listed ${tools.length} tools`);
await client.close();
