import { RunError } from "./errors.js";

/** Reads all of stdin as the program's source. */
export async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  const code = Buffer.concat(chunks).toString("utf8");
  if (code.trim() === "") {
    throw new RunError(
      "no program: give a file (`mcp-codegen run task.ts`), --eval <code>, or code on stdin",
    );
  }
  return code;
}
