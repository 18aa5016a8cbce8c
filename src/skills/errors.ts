import { CodegenError } from "../errors.js";

/** A skill could not be saved or read: the message names the skill and what to do. */
export class SkillError extends CodegenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SKILL", message, options);
  }
}
