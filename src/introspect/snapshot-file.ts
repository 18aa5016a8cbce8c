/** Reading a saved snapshot (`mcp-codegen inspect > file.json`) back, checked for shape. */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { SnapshotError } from "../errors.js";
import { SNAPSHOT_VERSION, type Snapshot } from "./snapshot.js";

const json = z.record(z.string(), z.unknown());
const toolSchema = z.object({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: json,
  outputSchema: json.optional(),
  annotations: z
    .object({
      title: z.string().optional(),
      readOnlyHint: z.boolean().optional(),
      destructiveHint: z.boolean().optional(),
      idempotentHint: z.boolean().optional(),
      openWorldHint: z.boolean().optional(),
    })
    .optional(),
});
const described = {
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
};
const resourceSchema = z.object({ ...described, uri: z.string(), mimeType: z.string().optional() });
const templateSchema = z.object({
  ...described,
  uriTemplate: z.string(),
  mimeType: z.string().optional(),
});
const promptSchema = z.object({
  ...described,
  arguments: z
    .array(
      z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        required: z.boolean().optional(),
      }),
    )
    .optional(),
});
const snapshotSchema = z.object({
  snapshotVersion: z.literal(SNAPSHOT_VERSION),
  servers: z.array(
    z.object({
      name: z.string().min(1),
      info: z.object({ name: z.string(), version: z.string(), title: z.string().optional() }),
      instructions: z.string().optional(),
      protocolVersion: z.string().optional(),
      tools: z.array(toolSchema),
      skipped: z
        .array(z.object({ name: z.string().optional(), index: z.number(), reason: z.string() }))
        .default([]),
      resources: z.array(resourceSchema).optional(),
      resourceTemplates: z.array(templateSchema).optional(),
      prompts: z.array(promptSchema).optional(),
    }),
  ),
});

export async function readSnapshotFile(file: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SnapshotError(
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? error}).`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(file, `is not JSON: ${(error as Error).message}`);
  }
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join(".") || "(root)"}: ${i.message}`,
    );
    throw new SnapshotError(
      file,
      `is not a snapshot of this version (make one with \`mcp-codegen inspect > file.json\`):\n  ${problems.slice(0, 10).join("\n  ")}`,
    );
  }
  return parsed.data as Snapshot;
}
