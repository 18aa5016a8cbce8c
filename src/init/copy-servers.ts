/**
 * Servers copied from a client's config into `codegen.config.ts`, a file people commit:
 * values of `env` and `headers` (where clients keep tokens) are never copied. Each becomes a
 * `${VAR}` reference that the environment fills in, and the names are listed for the user.
 */
import { isRecord } from "../plain-json.js";

export interface CopiedServers {
  readonly servers: Readonly<Record<string, unknown>>;
  /** The environment variables the copies read, each with where its value came from. */
  readonly variables: ReadonlyArray<{ readonly name: string; readonly from: string }>;
}

/** `servers` as the config will hold them; a value that already reads `${…}` stays. */
export function copyServers(servers: Readonly<Record<string, unknown>>): CopiedServers {
  const variables: { name: string; from: string }[] = [];
  const copied = Object.entries(servers).map(([name, server]) => {
    if (!isRecord(server)) return [name, server];
    const copy: Record<string, unknown> = { ...server };
    for (const field of ["env", "headers"] as const) {
      const values = server[field];
      if (!isRecord(values)) continue;
      copy[field] = Object.fromEntries(
        Object.entries(values).map(([key, value]) => {
          if (typeof value !== "string" || value.includes("${")) return [key, value];
          const variable = field === "env" ? key : envName(`${name}_${key}`);
          variables.push({ name: variable, from: `${name}.${field}.${key}` });
          return [key, `\${${variable}}`];
        }),
      );
    }
    return [name, copy];
  });
  return { servers: Object.fromEntries(copied), variables };
}

/** `github_Authorization` → `GITHUB_AUTHORIZATION`: a name a shell can export. */
function envName(text: string): string {
  const name = text.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
