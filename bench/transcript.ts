/**
 * A conversation as the Messages API carries it (tools, system text, messages of text,
 * tool_use and tool_result blocks), and its tokens counted the same way for every approach:
 * each definition and each block once, as the JSON or text the model reads.
 */
import { encode } from "gpt-tokenizer/encoding/o200k_base";

export type Block =
  | { readonly type: "text"; readonly text: string }
  | {
      readonly type: "tool_use";
      readonly id: string;
      readonly name: string;
      readonly input: unknown;
    }
  | { readonly type: "tool_result"; readonly tool_use_id: string; readonly content: string };

export interface Message {
  readonly role: "user" | "assistant";
  readonly content: readonly Block[];
}

export interface Transcript {
  readonly approach: string;
  readonly system?: string;
  readonly tools: readonly { name: string; description?: string; input_schema: unknown }[];
  readonly messages: readonly {
    readonly role: "user" | "assistant";
    readonly content: readonly Block[];
  }[];
}

const tokens = (text: string) => encode(text).length;

function blockTokens(block: Block): number {
  if (block.type === "text") return tokens(block.text);
  if (block.type === "tool_use") return tokens(block.name) + tokens(JSON.stringify(block.input));
  return tokens(block.content);
}

/** Setup (tool definitions and instructions) and messages, and their sum. */
export function countTranscript(transcript: Transcript): {
  setup: number;
  messages: number;
  total: number;
} {
  const setup =
    transcript.tools.reduce((n, tool) => n + tokens(JSON.stringify(tool)), 0) +
    (transcript.system ? tokens(transcript.system) : 0);
  const messages = transcript.messages.reduce(
    (n, message) => n + message.content.reduce((m, block) => m + blockTokens(block), 0),
    0,
  );
  return { setup, messages, total: setup + messages };
}
