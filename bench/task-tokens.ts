/**
 * The published comparison, replayed (issue 12): one task, run the way classic tool calling
 * runs it and the way code mode through `mcp-codegen serve` does, counting the tokens that pass
 * through the model. The task: fetch a ~40,000-token meeting transcript from a document store and
 * write it, with a short summary, to a record of a CRM (the published Google Drive → Salesforce
 * case; fixtures/servers/docs.mjs and crm.mjs, beside the official servers).
 *
 * Every tool result is real: the servers run, the calls are made, and code mode's program really
 * moves the document (checked afterwards). What the model writes (its calls, its program) is
 * scripted. Both transcripts are kept in bench/transcripts/ so that the counts can be checked;
 * test/bench-transcripts.test.ts recounts them. Tokens are o200k_base's (a proxy: Claude's
 * tokenizer is not public).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { countTranscript, type Block, type Message, type Transcript } from "./transcript.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/mcp-codegen.js");
const TARGET_CUT = 98.7;
const TASK =
  "Take the transcript of last week's sales leadership sync (document doc-sync-2026-11) and attach it, with a short summary on top, to the Description of the Acme renewal 2027 opportunity (006A1) in the CRM.";

const fixture = (name: string, args: string[] = []) => ({
  command: process.execPath,
  args: [path.join(ROOT, "fixtures/servers", `${name}.mjs`), ...args],
});
const node = (pkg: string, bin: string, args: string[] = []) => ({
  command: process.execPath,
  args: [path.join(ROOT, "node_modules", pkg, bin), ...args],
});

/** A project with the official servers and the fixture pair, its tree generated. */
function project(): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "mcp-codegen-task-tokens-")));
  const servers = {
    everything: node("@modelcontextprotocol/server-everything", "dist/index.js"),
    filesystem: node("@modelcontextprotocol/server-filesystem", "dist/index.js", [dir]),
    memory: node("@modelcontextprotocol/server-memory", "dist/index.js"),
    docs: fixture("docs"),
    crm: fixture("crm"),
  };
  writeFileSync(
    path.join(dir, "codegen.config.mjs"),
    `export default ${JSON.stringify({ servers })};\n`,
  );
  const generated = spawnSync(
    process.execPath,
    [BIN, "generate", "--config", "codegen.config.mjs"],
    {
      cwd: dir,
      encoding: "utf8",
    },
  );
  if (generated.status !== 0) throw new Error(`generate failed:\n${generated.stderr}`);
  return dir;
}

async function connect(command: string, args: string[], cwd: string): Promise<Client> {
  const client = new Client({ name: "task-tokens-bench", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command, args, cwd, stderr: "ignore" }));
  return client;
}

const textOf = (result: { content?: unknown }) =>
  ((result.content ?? []) as { type: string; text?: string }[])
    .map((block) => block.text ?? "")
    .join("\n");

/** Classic tool calling: every definition before the model, the document through it twice. */
async function classic(dir: string): Promise<Transcript> {
  const inspected = spawnSync(
    process.execPath,
    [BIN, "inspect", "--config", "codegen.config.mjs"],
    {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const snapshot = JSON.parse(inspected.stdout) as {
    servers: {
      name: string;
      tools: { name: string; description?: string; inputSchema: object }[];
    }[];
  };
  const tools = snapshot.servers.flatMap((server) =>
    server.tools.map((tool) => ({
      // A client prefixes each tool with its server, as Claude's clients do (mcp__server__tool).
      name: `${server.name}__${tool.name}`.slice(0, 64),
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.inputSchema,
    })),
  );
  const docs = await connect(fixture("docs").command, fixture("docs").args, dir);
  const crm = await connect(fixture("crm").command, fixture("crm").args, dir);
  try {
    const getArgs = { documentId: "doc-sync-2026-11" };
    const document = textOf(await docs.callTool({ name: "get_document", arguments: getArgs }));
    const summary =
      "Summary: weekly sales leadership sync covering pipeline, renewal risk, pricing, onboarding and forecasts; action items were agreed for Thursday.";
    const updateArgs = {
      objectType: "Opportunity",
      id: "006A1",
      fields: { Description: `${summary}\n\n${document}` },
    };
    const updated = textOf(await crm.callTool({ name: "update_record", arguments: updateArgs }));
    const check = JSON.parse(
      textOf(
        await crm.callTool({
          name: "get_record",
          arguments: { objectType: "Opportunity", id: "006A1" },
        }),
      ),
    ) as { Description?: string };
    if (check.Description !== updateArgs.fields.Description)
      throw new Error("classic: the record does not hold the document");
    return {
      approach: "classic tool calling",
      tools,
      messages: [
        { role: "user", content: [{ type: "text", text: TASK }] },
        { role: "assistant", content: [toolUse("c1", "docs__get_document", getArgs)] },
        { role: "user", content: [toolResult("c1", document)] },
        { role: "assistant", content: [toolUse("c2", "crm__update_record", updateArgs)] },
        { role: "user", content: [toolResult("c2", updated)] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Done: the transcript and a summary are on the opportunity." },
          ],
        },
      ],
    };
  } finally {
    await Promise.all([docs.close(), crm.close()]);
  }
}

/**
 * The program code mode's model writes. It has not seen the document (that is the point), so
 * its summary is what code can say without knowing the format: the title line and the size.
 * It prints that summary, so the model can report it.
 */
const PROGRAM = `import { getDocument } from "./servers/docs/getDocument.js";
import { updateRecord } from "./servers/crm/updateRecord.js";

const { text } = await getDocument({ documentId: "doc-sync-2026-11" });
const lines = text.split("\\n").filter(Boolean);
const summary = \`Summary: \${lines[0]} (\${lines.length} lines, \${text.split(/\\s+/).length} words).\`;
await updateRecord({ objectType: "Opportunity", id: "006A1", fields: { Description: \`\${summary}\\n\\n\${text}\` } });
console.log(\`Updated 006A1 with \${text.length} characters. \${summary}\`);
`;

/** Code mode through serve: its instructions and tools, a search, the definitions, one program. */
async function codeMode(dir: string): Promise<Transcript> {
  const serve = await connect(
    process.execPath,
    [BIN, "serve", "--config", "codegen.config.mjs"],
    dir,
  );
  try {
    const instructions = serve.getInstructions() ?? "";
    const listed = await serve.listTools();
    const tools = listed.tools.map((tool) => ({
      name: `mcp-codegen__${tool.name}`,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.inputSchema,
    }));
    const calls: { name: string; args: Record<string, unknown> }[] = [
      {
        name: "search_tools",
        args: { query: "get document text, update CRM record", detail: "name", limit: 3 },
      },
      {
        name: "read_definitions",
        args: { names: ["docs.get_document", "crm.update_record"] },
      },
      { name: "execute_code", args: { code: PROGRAM } },
    ];
    const messages: Message[] = [{ role: "user", content: [{ type: "text", text: TASK }] }];
    let printed = "";
    for (const [i, call] of calls.entries()) {
      const result = await serve.callTool({ name: call.name, arguments: call.args });
      const text = textOf(result);
      if (result.isError) throw new Error(`code mode: ${call.name} failed:\n${text}`);
      messages.push({
        role: "assistant",
        content: [toolUse(`m${i}`, `mcp-codegen__${call.name}`, call.args)],
      });
      messages.push({ role: "user", content: [toolResult(`m${i}`, text)] });
      printed = text;
    }
    if (
      !/Updated 006A1 with \d{6,} characters\. Summary: .+ \(\d+ lines, \d+ words\)\./.test(printed)
    )
      throw new Error(`code mode: the program did not move the document:\n${printed}`);
    await checkMoved(serve);
    messages.push({
      role: "assistant",
      content: [
        { type: "text", text: "Done: the transcript and a summary are on the opportunity." },
      ],
    });
    return {
      approach: "code mode through mcp-codegen serve",
      system: instructions,
      tools,
      messages,
    };
  } finally {
    await serve.close();
  }
}

/** The bench's own check, not the model's (so not in the transcript): the record holds it all. */
async function checkMoved(serve: Client): Promise<void> {
  const code = `import { getRecord } from "./servers/crm/getRecord.js";
import { getDocument } from "./servers/docs/getDocument.js";
const saved = (await getRecord({ objectType: "Opportunity", id: "006A1" })).json() as { Description: string };
const text = (await getDocument({ documentId: "doc-sync-2026-11" })).text;
console.log(saved.Description.endsWith(text) ? "whole" : "cut");`;
  const result = textOf(await serve.callTool({ name: "execute_code", arguments: { code } }));
  if (result.trim() !== "whole")
    throw new Error(`code mode: the record does not hold the document: ${result}`);
}

function toolUse(id: string, name: string, input: Record<string, unknown>): Block {
  return { type: "tool_use", id, name, input };
}
function toolResult(id: string, text: string): Block {
  return { type: "tool_result", tool_use_id: id, content: text };
}

const dir = project();
const runs = [await classic(dir), await codeMode(dir)];
const [before, after] = runs.map((run) => ({ run, count: countTranscript(run) }));
for (const { run, count } of [before!, after!]) {
  writeFileSync(
    path.join(
      ROOT,
      "bench/transcripts",
      `${run.approach.startsWith("classic") ? "classic" : "code-mode"}.json`,
    ),
    `${JSON.stringify(run, null, 1)}\n`,
  );
  console.log(
    `${run.approach}: ${count.total.toLocaleString("en-US")} tokens (definitions and instructions ${count.setup.toLocaleString("en-US")}, messages ${count.messages.toLocaleString("en-US")})`,
  );
}
const cut = 100 * (1 - after!.count.total / before!.count.total);
console.log(
  `cut: ${cut.toFixed(1)} % (${before!.count.total.toLocaleString("en-US")} → ${after!.count.total.toLocaleString("en-US")}; published 150,000 → 2,000, 98.7 %: ${cut >= TARGET_CUT ? "met" : "MISSED"})`,
);
process.exitCode = cut >= TARGET_CUT ? 0 : 1;
