/** A small tree for the search tests: a search index over given documents, and tool files. */
import type { SearchDocument } from "../../src/search/documents.js";
import { renderSearchIndex } from "../../src/search/index-file.js";
import { tempProject } from "../config/temp.js";

/** A document with the fields a test does not care about filled in. */
export function doc(
  server: string,
  tool: string,
  identifier: string,
  summary: string,
  parameters: Array<[string, string]> = [],
): SearchDocument {
  return {
    server,
    tool,
    identifier,
    dir: server,
    summary,
    description: summary,
    parameters: parameters.map(([name, description]) => ({ name, description })),
  };
}

export const DOCUMENTS: readonly SearchDocument[] = [
  doc("mail", "send_email", "sendEmail", "Send an email message to recipients.", [
    ["to", "Addresses of the recipients"],
    ["subject", "Subject line"],
  ]),
  doc("mail", "list_messages", "listMessages", "List the messages in a mailbox.", [
    ["folder", "Which mailbox folder"],
  ]),
  doc("files", "read_file", "readFile", "Read a file from disk as text.", [
    ["path", "Where the file is"],
  ]),
  doc("files", "write_file", "writeFile", "Write text to a file, creating it.", [
    ["path", "Where the file goes"],
    ["content", "What to write"],
  ]),
  doc("files", "listDirectories", "listDirectories", "List directories under a folder.", [
    ["root", "Starting folder"],
  ]),
  doc("weather", "get_forecast", "getForecast", "Get the weather forecast for a city.", [
    ["city", "City name"],
    ["days", "How many days ahead"],
  ]),
  // Same tool name on two servers, and a tool whose words match nothing of its name.
  doc("backup", "read_file", "readFile", "Fetch a stored backup copy.", [["id", "Backup id"]]),
  doc("misc", "zz", "zz", "Ping the server.", [["query_text", "Anything at all"]]),
];

/** A project holding `servers/search-index.json` over `documents`, plus `files` under `servers/`. */
export function searchTreeProject(
  documents: readonly SearchDocument[] = DOCUMENTS,
  files: Record<string, string> = {},
): string {
  const prefixed = Object.fromEntries(
    Object.entries(files).map(([file, text]) => [`servers/${file}`, text]),
  );
  return tempProject({
    "servers/search-index.json": renderSearchIndex(documents),
    ...prefixed,
  });
}
