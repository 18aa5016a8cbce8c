/**
 * Calls the config's policy refuses (see config/policy.ts). Both name the server, the tool, the
 * config field and glob that decided, and what to change; neither reached the server.
 */
import { CodegenError } from "../errors.js";
import type { PolicyRule } from "../config/policy.js";

/** The config does not let programs call this tool (`include`/`exclude`, `allow`/`deny`). */
export class ToolDeniedError extends CodegenError {
  readonly server: string;
  readonly tool: string;
  /** The config field that refused it, e.g. `servers.fs.deny`. */
  readonly rule: string;
  /** The glob of `rule` that matched the tool; undefined when none of its globs matched. */
  readonly glob: string | undefined;
  constructor(server: string, tool: string, rule: PolicyRule) {
    super(
      "TOOL_DENIED",
      `tool ${JSON.stringify(tool)} of server "${server}" may not be called: ${rule.because}. ` +
        `The call was not made. To let programs call it, ${rule.change} in the config.`,
    );
    this.server = server;
    this.tool = tool;
    this.rule = rule.field;
    this.glob = rule.glob;
  }
}

/**
 * The config says this call needs a person's yes (`approve`), and it did not get one: the person
 * asked said no (`answer: "no"`), or nobody could be asked (`answer: "nobody"`: no terminal,
 * CI, the daemon).
 */
export class ApprovalError extends CodegenError {
  readonly server: string;
  readonly tool: string;
  /** The config field that asks for approval, e.g. `servers.fs.approve.tools`. */
  readonly rule: string;
  /** The glob of `rule` that matched the tool; undefined for `approve.destructive`. */
  readonly glob: string | undefined;
  readonly answer: "no" | "nobody";
  /** @param nobody why nobody could be asked, when nobody could */
  constructor(server: string, tool: string, rule: PolicyRule, nobody?: string) {
    const subject = `tool ${JSON.stringify(tool)} of server "${server}" needs a person's yes before each call (${rule.because})`;
    super(
      "NOT_APPROVED",
      nobody === undefined
        ? `${subject}, and the person asked said no. The call was not made.`
        : `${subject}, and nobody can be asked: ${nobody}. The call was not made. Run the ` +
            `program from a terminal to be asked, or, to let programs call it without asking, ` +
            `${rule.change} in the config.`,
    );
    this.server = server;
    this.tool = tool;
    this.rule = rule.field;
    this.glob = rule.glob;
    this.answer = nobody === undefined ? "no" : "nobody";
  }
}
