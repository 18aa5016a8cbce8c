/**
 * Requests and notifications on an open connection, and the one boundary where what the SDK
 * throws becomes ours: a request fails with a fact about the answer (answer-faults.ts), with
 * NotDeliveredError (never reached the server: safe to send again), with the caller's own abort
 * reason, or with a ConnectionError, ServerCrashedError or TimeoutError. No SDK error passes.
 */
import { z } from "zod";
import type { CodegenError } from "../errors.js";
import { AnswerShapeError, AnswerTooLargeError, ServerAnswerError } from "./answer-faults.js";
import { isServerAnswer, serverErrorDetail, shapeProblem } from "./failures.js";
import { isNotDelivered, NotDeliveredError, resultTooLarge } from "./result-limits.js";
import type { Client } from "./sdk.js";

/** How one request is sent. */
export interface RequestOptions {
  /** Milliseconds before it fails with a TimeoutError. Default: the server's request timeout. */
  readonly timeout?: number;
  /** Aborting cancels the request; it then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Called with the server's progress notifications for this request. */
  readonly onProgress?:
    ((progress: { progress: number; total?: number; message?: string }) => void) | undefined;
  /** The request as errors name it (`tools/call search`). Default: the method. */
  readonly during?: string;
}

/** Sends `method` and returns the result as `schema` parses it. */
export type SendRequest = <T>(
  method: string,
  params: Record<string, unknown>,
  schema: z.ZodType<T>,
  options?: RequestOptions,
) => Promise<T>;

/** Notifications a caller can listen for. */
export type NotificationMethod =
  | "notifications/tools/list_changed"
  | "notifications/resources/list_changed"
  | "notifications/prompts/list_changed";

type Failure = (error: unknown, during: string, timeoutMs: number) => Promise<CodegenError>;

/** The `request` of a connection whose typed failures `failure` builds. */
export function sender(client: Client, defaultTimeout: number, failure: Failure): SendRequest {
  const defaults = { timeout: defaultTimeout };
  return async (method, params, schema, options = {}) => {
    const timeout = options.timeout ?? defaultTimeout;
    const sdkOptions =
      options.signal === undefined &&
      options.onProgress === undefined &&
      options.timeout === undefined
        ? defaults
        : {
            timeout,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onProgress ? { onprogress: options.onProgress } : {}),
          };
    let answer: unknown;
    try {
      answer = await client.request({ method, params }, ANY_ANSWER, sdkOptions);
    } catch (error) {
      // The caller asked to stop: its own reason comes back, whatever the SDK made of it.
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      throw (
        answerFault(error) ??
        notDelivered(error) ??
        (await failure(error, options.during ?? method, timeout))
      );
    }
    // Checked here rather than by the SDK, whose verdict is one line of text: the issues say
    // which field is wrong.
    const parsed = schema.safeParse(answer);
    if (parsed.success) return parsed.data;
    throw new AnswerShapeError(shapeProblem(parsed.error) ?? "is invalid", parsed.error);
  };
}

const ANY_ANSWER = z.unknown();

/**
 * What a failed request says about its answer, when the connection is fine: the one place that
 * tells an error the server answered with from the SDK's own (the connection closed, no answer
 * in time), which are connection-level. Undefined for those.
 */
function answerFault(error: unknown): Error | undefined {
  const tooLarge = resultTooLarge(error);
  if (tooLarge) return new AnswerTooLargeError(tooLarge.bytes, tooLarge.limit, error);
  if (isServerAnswer(error)) {
    return new ServerAnswerError(error.code, serverErrorDetail(error), error.data, error);
  }
  return undefined;
}

function notDelivered(error: unknown): NotDeliveredError | undefined {
  if (!isNotDelivered(error)) return undefined;
  if (error instanceof NotDeliveredError) return error;
  // An HTTP server that forgot the session or refused the connection: said as the SDK says it.
  return new NotDeliveredError(error, error instanceof Error ? error.message : String(error));
}

/** Calls `listener` on every `method` notification until the returned function is called. */
export function listen(
  client: Client,
  method: NotificationMethod,
  listener: () => void,
): () => void {
  client.setNotificationHandler(method, () => listener());
  return () => client.removeNotificationHandler(method);
}
