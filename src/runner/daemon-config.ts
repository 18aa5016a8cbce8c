/**
 * The config a daemon serves: read again when its file changed since, one reload at a time
 * however many runs and hellos ask meanwhile, and the reply to a hello, which depends on it.
 */
import * as path from "node:path";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import type { DaemonMessage, HelloMessage } from "./daemon-messages.js";
import { configStamp } from "./daemon-socket.js";

export class DaemonConfig {
  private config: ResolvedConfig;
  private stamp: string;
  private reloading: Promise<ResolvedConfig> | undefined;

  /**
   * @param file the config file (the daemon refuses to start without one)
   * @param env what the config reads (`${VAR}`) when it is reloaded
   * @param onReload what else changes with the config (the runtime, the warm sandbox)
   */
  constructor(
    initial: ResolvedConfig,
    private readonly file: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly onReload: (config: ResolvedConfig) => Promise<void>,
  ) {
    this.config = initial;
    this.stamp = configStamp(file);
  }

  /** The config as last read, without looking at the file. */
  get value(): ResolvedConfig {
    return this.config;
  }

  /** The config, read again first if its file changed. */
  current(): Promise<ResolvedConfig> {
    if (configStamp(this.file) === this.stamp) return Promise.resolve(this.config);
    this.reloading ??= this.reload().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** The reply to a hello: the variables programs may see, or a refusal. */
  async hello(message: HelloMessage): Promise<DaemonMessage> {
    const configFile = this.file;
    if (message.configFile !== configFile) {
      return {
        type: "refused",
        message: `this daemon serves ${configFile}, not ${message.configFile}`,
      };
    }
    try {
      const settings = await this.current();
      return { type: "hello", envAllowed: settings.run.env, pid: process.pid, configFile };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { type: "refused", message: `the daemon could not load the config: ${reason}` };
    }
  }

  private async reload(): Promise<ResolvedConfig> {
    const now = configStamp(this.file);
    const reloaded = await loadConfig({
      configFile: this.file,
      cwd: path.dirname(this.file),
      env: this.env,
    });
    this.stamp = now;
    this.config = reloaded;
    await this.onReload(reloaded);
    return this.config;
  }
}
