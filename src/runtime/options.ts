/**
 * What the runtime's functions take besides their own arguments. Types only, and none of the
 * SDK's or Node's: every generated file imports them, and a project without `@types/node`
 * that checks every declaration file it reaches (`skipLibCheck: false`, the compiler's
 * default) must be able to read them.
 */

/** What every runtime function accepts besides its own arguments. */
export interface RequestOptions {
  /** Milliseconds before the request fails. Default: the server's `timeout` from the config. */
  readonly timeout?: number;
  /** Aborting cancels the request; the server is sent a cancellation notification. */
  readonly signal?: AbortSignal;
}

/** One progress notification of a tool call. */
export interface ProgressUpdate {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

export interface CallOptions extends RequestOptions {
  /** Called with the server's progress notifications for this call. */
  readonly onProgress?: (progress: ProgressUpdate) => void;
}
