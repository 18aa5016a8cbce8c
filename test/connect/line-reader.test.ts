/**
 * The stdio transport's line splitter: lines across and within chunks, CRLF, blank lines, and
 * lines over the limit dropped as they stream in with only their ends kept.
 */
import { describe, expect, it } from "vitest";
import { LineReader, type OversizedLine } from "../../src/connect/line-reader.js";

function reader(limit: number) {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  const lineReader = new LineReader(
    limit,
    (line) => lines.push(line.toString("utf8")),
    (line) => oversized.push(line),
  );
  const push = (chunk: string | Buffer) =>
    lineReader.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return { lines, oversized, push };
}

describe("LineReader", () => {
  it.each<[string, Array<string | Buffer>, string[]]>([
    ["one chunk, two lines", ["a\nb\n"], ["a", "b"]],
    ["a line split across chunks", ["ab", "c", "d\ne"], ["abcd"]],
    ["CRLF endings", ["a\r\nb\r", "\n"], ["a", "b"]],
    ["blank lines are skipped", ["\n\r\na\n\n"], ["a"]],
    [
      "a multi-byte character split across chunks",
      // é is two bytes and € three: the cut falls inside €.
      [Buffer.from("\u00e9\u20ac\n").subarray(0, 3), Buffer.from("\u00e9\u20ac\n").subarray(3)],
      ["\u00e9\u20ac"],
    ],
  ])("%s", (_title, chunks, want) => {
    const r = reader(1024);
    for (const chunk of chunks) r.push(chunk);
    expect(r.lines).toEqual(want);
  });

  it("drops a line over the limit, keeping its start and end, and goes on with the next", () => {
    const r = reader(1024);
    const long = `{"result":{"text":"${"x".repeat(5000)}"},"jsonrpc":"2.0","id":7}`;
    for (let i = 0; i < long.length; i += 700) r.push(long.slice(i, i + 700));
    r.push('\n{"jsonrpc":"2.0","id":8,"result":{}}\n');
    expect(r.oversized).toHaveLength(1);
    const [dropped] = r.oversized;
    expect(dropped!.bytes).toBe(long.length);
    expect(dropped!.head.toString()).toBe(long.slice(0, 512));
    expect(dropped!.tail.toString()).toBe(long.slice(-512));
    expect(r.lines).toEqual(['{"jsonrpc":"2.0","id":8,"result":{}}']);
  });

  it("keeps a line of exactly the limit", () => {
    const r = reader(1024);
    r.push(`${"a".repeat(1024)}\n${"b".repeat(1025)}\n`);
    expect(r.lines).toEqual(["a".repeat(1024)]);
    expect(r.oversized.map((line) => line.bytes)).toEqual([1025]);
  });

  it("keeps the end of a line that crossed the limit in its last chunk", () => {
    const r = reader(1024);
    r.push(`${"y".repeat(1020)}`);
    r.push(`${"z".repeat(10)}\n`);
    expect(r.oversized[0]!.tail.toString()).toBe(`${"y".repeat(502)}${"z".repeat(10)}`);
  });
});
