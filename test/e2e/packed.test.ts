/**
 * The package as users get it: `npm pack`, installed into a fresh project (dependencies from the
 * npm cache that `npm ci` filled), then `npx mcp-codegen generate` and a program that imports a
 * generated stub, type-checked with the installed TypeScript and run with the installed tsx.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, listTree, ROOT, tempProject, writeFiles } from "./cli.js";

const exec = promisify(execFile);
const sh = (command: string, args: string[], cwd: string) =>
  exec(command, args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });

const config = `import { defineConfig } from "mcp-codegen";

export default defineConfig({
  servers: { schemas: ${JSON.stringify(fixture("schemas"))} },
});
`;
const program = `import { getWeather, type GetWeatherOutput } from "./servers/schemas/getWeather.js";

const weather: GetWeatherOutput = await getWeather({ city: "Lisbon", units: "metric" });
const temperature: number = weather.temperature;
console.log(JSON.stringify({ temperature, conditions: weather.conditions.toUpperCase() }));

// The stub's types are real, not \`any\`: tsc fails if this line is not an error.
// @ts-expect-error city must be a string
if (weather.humidity === -1) await getWeather({ city: 42 });
`;
const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ["main.ts", "servers"],
};

describe("the packed package, installed in a project", () => {
  let project: string;
  const ms: Record<string, number> = {};
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    try {
      return await run();
    } finally {
      ms[step] = Date.now() - start;
    }
  };

  beforeAll(async () => {
    const packDir = tempProject({});
    // dist/ is already built (`npm run build`); --ignore-scripts skips the `prepare` rebuild.
    const packed = await timed("pack", () =>
      sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir], ROOT),
    );
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    project = tempProject({
      "package.json": { name: "packed-e2e", private: true, type: "module" },
    });
    await timed("install", () =>
      sh(
        "npm",
        ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(packDir, filename)],
        project,
      ),
    );
    writeFiles(project, { "codegen.config.ts": config });
  }, 150_000);

  it("npx mcp-codegen generate writes the tree from a TS config that imports mcp-codegen", async () => {
    const run = await timed("generate", () =>
      sh("npx", ["--no", "mcp-codegen", "generate"], project),
    );
    expect(run.stderr).toContain(
      "servers: 9 tools from 1 server; 15 created, 0 updated, 0 deleted, 0 unchanged",
    );
    expect(listTree(project).filter((f) => !f.startsWith("node_modules/"))).toEqual([
      "codegen.config.ts",
      "package-lock.json",
      "package.json",
      "servers/",
      "servers/README.md",
      "servers/index.ts",
      "servers/manifest.json",
      "servers/schemas/",
      ...[
        "README.md",
        "configurePipeline.ts",
        "createOrder.ts",
        "getServerTime.ts",
        "getWeather.ts",
        "index.ts",
        "listUsers.ts",
        "searchDocuments.ts",
        "sendNotification.ts",
        "setLabels.ts",
        "summary.d.ts",
        "updateTree.ts",
      ].map((f) => `servers/schemas/${f}`),
      "skills/",
      "workspace/",
    ]);
  }, 60_000);

  it("a program importing a stub type-checks and gets the typed result through mcp-codegen/runtime", async () => {
    writeFiles(project, { "main.ts": program, "tsconfig.json": tsconfig });
    await timed("tsc", () => sh("npx", ["--no", "--", "tsc", "-p", "tsconfig.json"], project));
    const run = await timed("tsx", () => sh("npx", ["--no", "tsx", "main.ts"], project));
    expect(run.stdout).toBe('{"temperature":21.5,"conditions":"PARTLY CLOUDY"}\n');
  }, 60_000);

  it("npx mcp-codegen run runs the same program in the sandbox, type-checked first", async () => {
    const run = await timed("run", () =>
      sh("npx", ["--no", "mcp-codegen", "run", "--typecheck", "--no-daemon", "main.ts"], project),
    );
    expect(run.stdout).toBe('{"temperature":21.5,"conditions":"PARTLY CLOUDY"}\n');
    console.info(`packed e2e steps (ms): ${JSON.stringify(ms)}`);
  }, 60_000);
});
