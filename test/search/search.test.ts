import { describe, expect, it } from "vitest";
import { searchTree, type SearchResults } from "../../src/search/index.js";
import { stem, tokenize } from "../../src/search/engine.js";
import { DOCUMENTS, searchTreeProject } from "./tree.js";

const project = searchTreeProject();
const names = (results: SearchResults) => results.hits.map((hit) => `${hit.server}.${hit.tool}`);
const first = async (query: string) => names(await searchTree(project, query))[0];

describe("the tokenizer and the term processor", () => {
  it.each([
    ["getWeatherForecast", ["getWeatherForecast", "get", "Weather", "Forecast"]],
    ["send_email", ["send", "email"]],
    ["files/list v2", ["files", "list", "v2"]],
    ["émigréCafé", ["émigréCafé", "émigré", "Café"]],
  ])("splits %j into %j", (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });

  it.each([
    ["files", "fil"],
    ["file", "fil"],
    ["directories", "directory"],
    ["directory", "directory"],
    ["searches", "search"],
    ["writing", "writ"],
    ["write", "writ"],
    ["running", "run"],
    ["created", "creat"],
    ["create", "creat"],
    ["status", "status"],
    ["Mail", "mail"],
  ])("takes %j to %j", (word, term) => {
    expect(stem(word)).toBe(term);
  });
});

describe("ranking", () => {
  it.each([
    // [title, query, the best hit]
    ["plural against singular", "emails", "mail.send_email"],
    ["-ing against the base form", "sending email", "mail.send_email"],
    ["a singular against a plural in a name", "directory", "files.listDirectories"],
    ["a word of a camelCase name", "directories", "files.listDirectories"],
    ["a typo", "forcast", "weather.get_forecast"],
    ["two typos in a long word", "wheather forecats", "weather.get_forecast"],
    ["a word's beginning", "forec", "weather.get_forecast"],
    ["a parameter's name", "subject", "mail.send_email"],
    ["a parameter's description", "recipients addresses", "mail.send_email"],
    ["a parameter name split at the underscore", "query text", "misc.zz"],
  ])("finds by %s (%j)", async (_title, query, best) => {
    expect(await first(query)).toBe(best);
  });

  it("ranks a tool whose name matches above one whose description does", async () => {
    const results = await searchTree(project, "mailbox messages");
    expect(names(results)[0]).toBe("mail.list_messages");
  });

  it("puts the tools with every word first, and still matches when one word is in none", async () => {
    const results = await searchTree(project, "read text file", { limit: 100 });
    expect(names(results)[0]).toBe("files.read_file");
    // write_file has "text" and "file" but not "read"; backup.read_file has "read" only in its name.
    expect(names(results)).toContain("files.write_file");
    expect(await first("send email kubernetes")).toBe("mail.send_email");
  });

  it("ignores words that say nothing about a tool", async () => {
    expect((await searchTree(project, "the")).total).toBe(0);
    expect(await first("get the forecast for a city")).toBe("weather.get_forecast");
  });

  it("says how many matched in all, whatever the limit", async () => {
    const all = await searchTree(project, "file", { limit: 100 });
    const two = await searchTree(project, "file", { limit: 2 });
    expect(all.total).toBeGreaterThan(2);
    expect(two.total).toBe(all.total);
    expect(two.hits).toHaveLength(2);
    expect(names(two)).toEqual(names(all).slice(0, 2));
  });

  it("keeps to one server with `server`", async () => {
    const results = await searchTree(project, "file", { server: "backup", limit: 100 });
    expect(names(results)).toEqual(["backup.read_file"]);
    expect(results.total).toBe(1);
  });

  it("finds nothing for words no tool has, and says so with a total of 0", async () => {
    const results = await searchTree(project, "kubernetes");
    expect(results).toEqual({ query: "kubernetes", total: 0, hits: [] });
  });

  it("lists every tool for an empty query", async () => {
    const results = await searchTree(project, "", { limit: 100 });
    expect(results.total).toBe(DOCUMENTS.length);
  });
});

describe("exact names always win", () => {
  it.each([
    ["server.tool", "weather.get_forecast", ["weather.get_forecast"]],
    ["server.identifier", "weather.getForecast", ["weather.get_forecast"]],
    ["the tool alone", "get_forecast", ["weather.get_forecast"]],
    ["the identifier alone", "getForecast", ["weather.get_forecast"]],
    ["a name two servers share, both", "read_file", ["files.read_file", "backup.read_file"]],
    ["a name in another case", "GET_FORECAST", ["weather.get_forecast"]],
    // Its description shares no word with the query: only the exact name finds it first.
    ["a name whose words are nowhere else", "zz", ["misc.zz"]],
  ])("%s (%j) comes first (in index order)", async (_title, query, expected) => {
    const results = await searchTree(project, query, { limit: 100 });
    expect(names(results).slice(0, expected.length)).toEqual(expected);
    const exactScore = results.hits[0]!.score;
    for (const hit of results.hits.slice(expected.length)) {
      expect(hit.score).toBeLessThan(exactScore);
    }
  });

  it("select: returns exactly the tools named, in that order, and names the unknown", async () => {
    const results = await searchTree(
      project,
      "select:files.write_file, mail.sendEmail,nope.nothing,files.write_file",
    );
    expect(names(results)).toEqual(["files.write_file", "mail.send_email"]);
    expect(results.total).toBe(2);
    expect(results.unknown).toEqual(["nope.nothing"]);
  });

  it("select: with a server filter keeps to that server", async () => {
    const results = await searchTree(project, "select:read_file", { server: "files" });
    expect(names(results)).toEqual(["files.read_file"]);
  });
});

describe("detail levels", () => {
  it("name: server, tool and where to import it, nothing else", async () => {
    const results = await searchTree(project, "get_forecast", { detail: "name" });
    expect(results.hits[0]).toEqual({
      kind: "tool",
      server: "weather",
      tool: "get_forecast",
      identifier: "getForecast",
      importPath: "./servers/weather/getForecast.js",
      score: results.hits[0]!.score,
    });
  });

  it("summary: the one line and the parameter names", async () => {
    const results = await searchTree(project, "get_forecast");
    expect(results.hits[0]).toMatchObject({
      description: "Get the weather forecast for a city.",
      parameters: ["city", "days"],
    });
    expect(results.hits[0]!.declaration).toBeUndefined();
  });
});

describe("what the search refuses", () => {
  it.each([
    ["a query over 500 characters", "x".repeat(501), {}, /at most 500/],
    ["a limit of 0", "file", { limit: 0 }, /limit must be a whole number from 1 to 100/],
    ["a limit over 100", "file", { limit: 101 }, /from 1 to 100/],
    ["a fractional limit", "file", { limit: 1.5 }, /whole number/],
    ["an unknown detail", "file", { detail: "everything" }, /detail must be one of/],
    ["a server that is not a string", "file", { server: 3 }, /server must be/],
  ])("%s", async (_title, query, options, message) => {
    await expect(searchTree(project, query, options as never)).rejects.toThrow(message);
  });

  it("a query that is not a string", async () => {
    await expect(searchTree(project, 42 as never)).rejects.toThrow(/must be a string/);
  });
});
