/**
 * The program's environment: only the variables the config's `run.env` names, taken from the
 * runner's environment. Nothing else (tokens, keys, the servers' settings) reaches it.
 */
export function programEnv(
  allowed: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of allowed) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
