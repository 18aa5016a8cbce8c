/**
 * Closes the file descriptors this process inherited beyond stdin, stdout and stderr
 * (`mcp-codegen run task.ts 40<secret`), before anything is started: a descriptor without
 * close-on-exec would pass on to every child, the sandboxed program included, and Node's
 * permission model does not check I/O on descriptors. Node opens its own with close-on-exec,
 * so those without it are exactly the inherited ones. Loaded first by the entry script.
 */
import { closeSync, readdirSync, readFileSync } from "node:fs";

const O_CLOEXEC = 0o2000000;

function closeInheritedDescriptors(): void {
  if (process.platform !== "linux") return;
  let names: string[];
  try {
    names = readdirSync("/proc/self/fd");
  } catch {
    return; // no /proc: nothing to learn the descriptors from
  }
  // Node's own IPC channel, when a parent started us with one (tests, tools).
  const channel = (process.channel as { fd?: number } | undefined)?.fd;
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2 || fd === channel) continue;
    let info: string;
    try {
      info = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8");
    } catch {
      continue; // the listing's own descriptor, gone already
    }
    const flags = /^flags:\s*([0-7]+)/m.exec(info)?.[1];
    if (flags === undefined || (parseInt(flags, 8) & O_CLOEXEC) !== 0) continue;
    try {
      closeSync(fd);
    } catch {
      // closed meanwhile
    }
  }
}

closeInheritedDescriptors();
