/**
 * What a stdio server wrote besides answers to our requests: lines that were not JSON, JSON
 * that was not a JSON-RPC message, and answers whose id no request was waiting for (a made-up
 * id, the id of a request answered or given up on before). Skipped as they come; counted, so
 * that a request that then times out can say what was seen instead.
 */
export interface StrayMessages {
  readonly notJson: number;
  readonly notJsonRpc: number;
  readonly unknownIds: number;
}

export const NO_STRAYS: StrayMessages = { notJson: 0, notJsonRpc: 0, unknownIds: 0 };

/**
 * "3 answers with ids no request was waiting for, 2 lines that were not JSON", or undefined
 * when nothing stray was seen.
 */
export function describeStrays(strays: StrayMessages): string | undefined {
  const parts = [
    counted(
      strays.unknownIds,
      "answer with an id no request was waiting for",
      "answers with ids no request was waiting for",
    ),
    counted(strays.notJson, "line that was not JSON", "lines that were not JSON"),
    counted(
      strays.notJsonRpc,
      "line of JSON that was not a JSON-RPC message",
      "lines of JSON that were not JSON-RPC messages",
    ),
  ].filter((part): part is string => part !== undefined);
  if (parts.length === 0) return undefined;
  return parts.length === 1
    ? parts[0]
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

function counted(n: number, one: string, many: string): string | undefined {
  if (n === 0) return undefined;
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}
