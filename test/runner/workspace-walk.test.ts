/**
 * The workspace walk against a program that changes the folder under it, step by step: each
 * change is made at the exact moment the walk is about to look at the path it changes (a hook
 * on the walk's own calls into node:fs), so the interleavings a running program can
 * only hit by chance (test/hostile/host-paths.test.ts) are each tried every time.
 */
import {
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { walk } from "../../src/runner/workspace-walk.js";

/** Called with the name and path of each call the walk makes, before it is made. */
let beforeCall: (call: string, target: string) => void = () => {};

// Hoisted above the imports by vitest: what the walk imports is hooked, what the test uses is not.
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    readdir: (target: string, options: { encoding: "buffer" }) => {
      beforeCall("readdir", target);
      return real.readdir(target, options);
    },
    lstat: (target: string | Buffer, options: { bigint: true }) => {
      beforeCall("lstat", String(target));
      return real.lstat(target, options);
    },
  };
});
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  return {
    ...real,
    openSync: (target: string, flags: number) => {
      beforeCall("open", target);
      return real.openSync(target, flags);
    },
  };
});

const made: string[] = [];
function folder(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}
afterEach(() => {
  beforeCall = () => {};
});
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A host folder the walk must never count: a file, and a folder with a file in it. */
function hostFolder(): string {
  const host = folder("walk-host-");
  writeFileSync(path.join(host, "host-file.bin"), Buffer.alloc(4096, 1));
  mkdirSync(path.join(host, "inner"));
  writeFileSync(path.join(host, "inner", "host-inner.bin"), Buffer.alloc(4096, 1));
  return host;
}

/**
 * Runs `change` once, the first time the walk is about to make a call that `matches`; the
 * test then checks that it did (else the walk was never tried).
 */
function once(
  matches: (call: string, target: string) => boolean,
  change: () => void,
): () => boolean {
  let done = false;
  beforeCall = (call, target) => {
    if (done || !matches(call, target)) return;
    done = true;
    change();
  };
  return () => done;
}

/** `root/swap` (a folder with `inner/` in it) made into a link to `host`. */
function swapForLink(root: string, host: string): () => void {
  return () => {
    rmSync(path.join(root, "swap"), { recursive: true });
    symlinkSync(host, path.join(root, "swap"));
  };
}

function names(walked: Awaited<ReturnType<typeof walk>>): string[] {
  return [...walked.entries.keys()];
}

describe("the workspace walk, while the program changes what it walks", () => {
  /** Walks root/swap/inner/, swapping swap/ for a link to a host folder when `when` matches. */
  async function walkSwapped(when: (call: string, target: string) => boolean) {
    const root = folder("walk-root-");
    const host = hostFolder();
    mkdirSync(path.join(root, "swap", "inner"), { recursive: true });
    const changed = once(
      (call, target) => target.startsWith(root) && when(call, target.slice(root.length)),
      swapForLink(root, host),
    );
    const walked = await walk(root, { closedFolders: "open" });
    expect(changed()).toBe(true);
    return walked;
  }

  it("a folder swapped for a link as the walk comes to it leads nowhere", async () => {
    // The walk has seen swap/ as a folder; it is a link when the walk looks in it.
    const walked = await walkSwapped((call, at) => call !== "lstat" && at === "/swap");
    expect(names(walked).filter((name) => name.includes("host"))).toEqual([]);
    expect(walked.unreadable).toEqual([]);
  });

  it("a folder above swapped for a link leads nowhere either", async () => {
    // swap/ was looked in; swap/inner/ is next, and by then swap/ leads to the host's inner/.
    const walked = await walkSwapped((_, at) => at === "/swap/inner");
    expect(names(walked).filter((name) => name.includes("host"))).toEqual([]);
    expect(walked.unreadable).toEqual([]);
  });

  it("a file removed between being listed and being looked at is gone, not unreadable", async () => {
    const root = folder("walk-root-");
    writeFileSync(path.join(root, "kept.txt"), "x");
    writeFileSync(path.join(root, "scratch.txt"), "x");
    const changed = once(
      (call, target) => call === "lstat" && target.endsWith("/scratch.txt"),
      () => rmSync(path.join(root, "scratch.txt")),
    );
    const walked = await walk(root, { closedFolders: "open" });
    expect(changed()).toBe(true);
    expect(walked).toEqual({
      entries: new Map([["kept.txt", expect.anything()]]),
      unreadable: [],
      unnamed: { names: [], bytes: 0, entries: 0 },
    });
  });

  it("a folder removed, or made a file, before it is looked in is gone, not unreadable", async () => {
    const root = folder("walk-root-");
    mkdirSync(path.join(root, "removed", "deep"), { recursive: true });
    mkdirSync(path.join(root, "replaced"));
    const changed = once(
      (call, target) => call !== "lstat" && target === path.join(root, "removed"),
      () => {
        rmSync(path.join(root, "removed"), { recursive: true });
        rmSync(path.join(root, "replaced"), { recursive: true });
        writeFileSync(path.join(root, "replaced"), "now a file");
      },
    );
    const walked = await walk(root, { closedFolders: "open" });
    expect(changed()).toBe(true);
    expect(walked.unreadable).toEqual([]);
    expect(names(walked)).toEqual(["removed", "replaced"]);
  });

  it("a folder moved away while it is held is walked where it was seen, and no further", async () => {
    const root = folder("walk-root-");
    const host = hostFolder();
    mkdirSync(path.join(root, "swap", "inner"), { recursive: true });
    writeFileSync(path.join(root, "swap", "inner", "mine.txt"), "x");
    // swap/ moves away and the link takes its place once the walk holds swap/inner/.
    const changed = once(
      (call, target) => call === "lstat" && target.endsWith("/mine.txt"),
      () => {
        renameSync(path.join(root, "swap"), path.join(root, "moved"));
        symlinkSync(host, path.join(root, "swap"));
      },
    );
    const walked = await walk(root, { closedFolders: "open" });
    expect(changed()).toBe(true);
    expect(names(walked).filter((name) => name.includes("host"))).toEqual([]);
  });
});

describe("names that are not UTF-8 text", () => {
  it("are counted, bytes and entries, what is under them too, and named once", async () => {
    const root = folder("walk-root-");
    const bytes = (...parts: (string | number[])[]) =>
      Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
    writeFileSync(bytes(root, "/", "file", [0xff]), Buffer.alloc(4096, 1));
    const hidden = bytes(root, "/", [0xfe]);
    mkdirSync(hidden);
    mkdirSync(bytes(root, "/", [0xfe], "/deeper"));
    writeFileSync(bytes(root, "/", [0xfe], "/deeper/plain.txt"), Buffer.alloc(1000, 1));
    writeFileSync(bytes(root, "/", [0xfe], "/deeper/", [0xc3, 0x28]), Buffer.alloc(10, 1));
    writeFileSync(path.join(root, "named.txt"), "x");
    const walked = await walk(root, { closedFolders: "open" });
    expect(names(walked)).toEqual(["named.txt"]);
    expect(walked.unnamed).toEqual({
      names: ["file\uFFFD", "\uFFFD"],
      bytes: 4096 + 1000 + 10,
      entries: 5,
    });
    expect(walked.unreadable).toEqual([]);
  });
});

describe("a workspace whose own path is odd", () => {
  it("is walked whole: a newline and ' (deleted)' in the path do not fail the descriptor check", async () => {
    const parent = folder("walk-odd-");
    const root = path.join(parent, "line\nbreak (deleted)");
    mkdirSync(path.join(root, "sub (deleted)"), { recursive: true });
    writeFileSync(path.join(root, "sub (deleted)", "kept.txt"), "x");
    const walked = await walk(root, { closedFolders: "open" });
    expect(names(walked)).toEqual(["sub (deleted)", "sub (deleted)/kept.txt"]);
    expect(walked.unreadable).toEqual([]);
  });
});
