/**
 * The README's quick start, pasted as a new user would: the package as users get it (`npm
 * pack`), a fresh folder, and every step of the "Quick start for users" section read from
 * README.md, in order. A shell block's lines are run one by one (the `apt-get` line is the
 * machine's setup: bubblewrap must be there already); `npm install mcp-codegen` installs the
 * packed file, from the npm cache that `npm ci` filled. A TypeScript block is the file its
 * paragraph names: compared with what the steps before wrote, else written. A text block is
 * what the commands of the shell block before it print.
 */
import { exec as execCallback } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { listTree, ROOT, tempProject } from "./cli.js";

const exec = promisify(execCallback);

interface Block {
  readonly lang: string;
  readonly code: string;
  /** The paragraph before the block, where the README says what the block is. */
  readonly before: string;
}

/** The fenced blocks of the README's section `title`, in order. */
function sectionBlocks(markdown: string, title: string): Block[] {
  const start = markdown.indexOf(`\n## ${title}\n`);
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  let last = 0;
  for (let match = fence.exec(section); match !== null; match = fence.exec(section)) {
    const before = section.slice(last, match.index).trim().split("\n\n").at(-1) ?? "";
    blocks.push({ lang: match[1] ?? "", code: match[2] ?? "", before });
    last = match.index + match[0].length;
  }
  return blocks;
}

/** A shell block's commands: comments dropped, the machine's setup left out. */
function commands(block: Block): string[] {
  return block.code
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.includes("apt-get"));
}

/** The last file name the paragraph names in backticks: `task.ts`. */
function fileNamed(paragraph: string): string | undefined {
  return [...paragraph.matchAll(/`([\w./-]+\.ts)`/g)].at(-1)?.[1];
}

const BLOCKS = sectionBlocks(
  readFileSync(path.join(ROOT, "README.md"), "utf8"),
  "Quick start for users",
);

describe("the README's quick start, pasted into a fresh folder with the packed package", () => {
  let project: string;
  let tarball: string;
  let env: NodeJS.ProcessEnv;
  const ms: Record<string, number> = {};

  /** One command as a user's shell runs it in the project, timed; its output kept. */
  const sh = async (command: string) => {
    const start = Date.now();
    try {
      return await exec(command, { cwd: project, env, timeout: 180_000, maxBuffer: 1 << 24 });
    } finally {
      ms[command] = Date.now() - start;
    }
  };

  beforeAll(async () => {
    const packDir = tempProject({});
    // dist/ is already built (`npm run build`); --ignore-scripts skips the `prepack` rebuild.
    const packed = await exec(
      `npm pack --ignore-scripts --json --pack-destination ${JSON.stringify(packDir)}`,
      { cwd: ROOT },
    );
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    tarball = path.join(packDir, filename);
    project = path.join(tempProject({}), "my-agent");
    mkdirSync(project);
    // A user's environment: not this repo's tools on the PATH, not `npm test`'s variables, and
    // a Claude Desktop config folder of its own (empty) so that init finds none.
    const PATH = (process.env.PATH ?? "")
      .split(path.delimiter)
      .filter((dir) => !dir.startsWith(ROOT))
      .join(path.delimiter);
    env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^npm_|^MCP_CODEGEN_|^INIT_CWD$/i.test(key)),
    );
    Object.assign(env, { PATH, XDG_CONFIG_HOME: tempProject({}) });
  }, 60_000);

  it("has the steps of a first run: install, init, generate, a program, run it, what it prints", () => {
    expect(BLOCKS.map((b) => b.lang)).toEqual(["sh", "ts", "ts", "sh", "text"]);
    const all = BLOCKS.filter((b) => b.lang === "sh").flatMap(commands);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^npm install .*\bmcp-codegen\b/),
        "npx mcp-codegen init",
        "npx mcp-codegen",
        "npx mcp-codegen run task.ts",
      ]),
    );
    // The setup line this test leaves out is what the machine has done already.
    expect(BLOCKS[0]?.code).toContain("apt-get install -y bubblewrap");
    expect(existsSync("/usr/bin/bwrap"), "bubblewrap is installed").toBe(true);
  });

  it("works when pasted, step by step", async () => {
    let printed: { command: string; stdout: string }[] = [];
    for (const block of BLOCKS) {
      if (block.lang === "sh") {
        printed = [];
        for (const line of commands(block)) {
          const command = line.startsWith("npm install ")
            ? `${line.replace(/(?<=\s)mcp-codegen(?=\s|$)/, JSON.stringify(tarball))} --prefer-offline --no-audit --no-fund`
            : line;
          const { stdout } = await sh(command);
          if (stdout !== "" && !line.includes("mcp-codegen init"))
            printed.push({ command, stdout });
        }
      } else if (block.lang === "ts") {
        const name = fileNamed(block.before);
        expect(name, `the paragraph before a TypeScript block names its file`).toBeDefined();
        const file = path.join(project, name!);
        if (existsSync(file)) expect(readFileSync(file, "utf8")).toBe(block.code);
        else writeFileSync(file, block.code);
      } else if (block.lang === "text") {
        expect(printed.map((p) => p.command)).toEqual([
          "npx mcp-codegen run task.ts",
          "npx tsx task.ts",
        ]);
        for (const { stdout } of printed) expect(stdout).toBe(block.code);
      }
    }
    expect(listTree(project).filter((f) => !f.startsWith("node_modules/"))).toEqual(
      expect.arrayContaining([
        "codegen.config.ts",
        "tsconfig.json",
        "servers/memory/searchNodes.ts",
        "skills/",
        "workspace/",
        "task.ts",
      ]),
    );
    console.info(`quick start steps (ms): ${JSON.stringify(ms)}`);
  }, 300_000);

  it("the generated trees type-check without @types/node, every declaration file checked", async () => {
    // The tree just generated, and the repo's committed one (official and fixture servers).
    cpSync(path.join(ROOT, "out/servers"), path.join(project, "committed/servers"), {
      recursive: true,
    });
    writeFileSync(
      path.join(project, "tsconfig.bare.json"),
      JSON.stringify({
        // No `skipLibCheck` and no `lib`: the compiler's defaults. `types: []` loads no
        // `@types/*` package, as in a project that installed none.
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          types: [],
        },
        include: ["servers", "committed"],
      }),
    );
    const { stdout } = await sh("npx --no -- tsc -p tsconfig.bare.json --listFiles");
    const declarations = stdout
      .split("\n")
      .filter((file) => file.includes("/node_modules/") && !file.includes("/typescript/lib/"))
      .map((file) => file.slice(file.lastIndexOf("/node_modules/") + "/node_modules/".length));
    // What `mcp-codegen/runtime` declares, and nothing of the SDK's, Ajv's or Node's.
    expect(declarations).toContain("mcp-codegen/dist/runtime/index.d.ts");
    expect(declarations.filter((file) => !file.startsWith("mcp-codegen/dist/"))).toEqual([]);
  }, 60_000);

  it("installs as published: no install-time scripts, no source maps naming files it does not ship", () => {
    const installed = path.join(project, "node_modules", "mcp-codegen");
    const manifest = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    };
    for (const script of ["preinstall", "install", "postinstall", "prepare"])
      expect(manifest.scripts?.[script]).toBeUndefined();
    expect(listTree(installed).filter((file) => file.endsWith(".map"))).toEqual([]);
  });

  it("the installed compiler and run --typecheck reject a wrong call: the stubs' types are real", async () => {
    writeFileSync(
      path.join(project, "wrong.ts"),
      'import { searchNodes } from "./servers/memory/index.js";\n\nawait searchNodes({ query: 42 });\n',
    );
    const tsc = await sh("npx tsc").catch((error: { stdout: string }) => error);
    expect(tsc.stdout).toMatch(
      /^wrong\.ts\(3,21\): error TS2322: Type 'number' is not assignable to type 'string'\./m,
    );
    const run = await sh("npx mcp-codegen run --typecheck --no-daemon wrong.ts").catch(
      (error: { stderr: string }) => error,
    );
    expect(run.stderr).toMatch(/wrong\.ts\(3,21\): error TS2322/);
    expect(run.stderr).toContain("the program was not run");
  }, 120_000);
});
