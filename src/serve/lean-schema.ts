/**
 * A tool's input schema as serve lists it: zod's JSON Schema without its `$schema` line. The
 * SDK lists what a schema's Standard Schema `jsonSchema` gives; zod's says which draft it is in
 * every tool, ~15 tokens a tool that every conversation pays and no model needs (MCP's
 * default dialect is 2020-12 anyway). Validation stays zod's own.
 */
import type { z } from "zod";

export function leanSchema<T extends z.ZodType>(schema: T): T {
  const standard = schema["~standard"] as unknown as {
    jsonSchema?: { input(options: unknown): Record<string, unknown> };
  };
  const converter = standard.jsonSchema;
  if (converter === undefined) return schema;
  const lean = {
    ...standard,
    jsonSchema: {
      ...converter,
      input(options: unknown) {
        const { $schema: _dialect, ...rest } = converter.input(options);
        return rest;
      },
    },
  };
  // The SDK reads `~standard` for conversion and validation alike: the rest of zod is untouched.
  return new Proxy(schema, {
    get: (target, key, receiver) =>
      key === "~standard" ? lean : (Reflect.get(target, key, receiver) as unknown),
  });
}
