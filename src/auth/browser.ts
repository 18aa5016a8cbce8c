/**
 * Opening a URL in the user's browser with the platform's opener: `open` on macOS,
 * `rundll32 url.dll,FileProtocolHandler` on Windows (unlike `start`, it takes the URL as one
 * argument, with no shell parsing its `&`s), `xdg-open` elsewhere. Best effort: the URL is
 * always printed too, for a machine without a browser.
 */
import { spawn } from "node:child_process";

export function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["rundll32", ["url.dll,FileProtocolHandler", url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.on("error", () => {}); // no opener installed: the printed URL is the way
    child.unref();
  } catch {
    // as above
  }
}
