import { RunError } from "./errors.js";

/** Most code a program may be given on stdin, as for one imported file. */
const MAX_STDIN_BYTES = 8 * 1024 * 1024;

/** Reads all of stdin as the program's source (at most 8 MiB: stdin may never end). */
export async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.from(chunk as Buffer);
    bytes += buffer.length;
    if (bytes > MAX_STDIN_BYTES) {
      throw new RunError(
        `the program on stdin is over ${MAX_STDIN_BYTES / 1024 / 1024} MiB; give a file instead`,
      );
    }
    chunks.push(buffer);
  }
  const code = Buffer.concat(chunks).toString("utf8");
  if (code.trim() === "") {
    throw new RunError(
      "no program: give a file (`mcp-codegen run task.ts`), --eval <code>, or code on stdin",
    );
  }
  return code;
}
