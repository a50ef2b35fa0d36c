/** Tiny typed HTTP helpers on Node's global fetch, plus a bounded poll helper. */

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Raw body text. */
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: T;
}

export interface RequestOptions {
  /** Serialised with JSON.stringify and sent with content-type application/json. */
  json?: unknown;
  /** Raw body, sent as is (content-type from headers, default application/json). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Abort the request after this long (default 10 s). */
  timeoutMs?: number;
}

export async function request<T = unknown>(method: string, url: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

export const getJson = <T = unknown>(url: string, options?: RequestOptions): Promise<HttpResponse<T>> =>
  request<T>('GET', url, options);

export const postJson = <T = unknown>(url: string, json: unknown, options: RequestOptions = {}): Promise<HttpResponse<T>> =>
  request<T>('POST', url, { ...options, json });

export const putJson = <T = unknown>(url: string, json: unknown, options: RequestOptions = {}): Promise<HttpResponse<T>> =>
  request<T>('PUT', url, { ...options, json });

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  description?: string;
  /** Extra text for the timeout message (e.g. app logs), computed only on timeout. */
  onTimeout?: () => string;
}

/** Value of `predicate` counted as "not yet". */
type NotYet = undefined | null | false;

/**
 * Polls `predicate` until it returns a value other than undefined/null/false and returns that
 * value. Errors thrown by the predicate count as "not yet" (the last one is reported). Bounded by
 * `timeoutMs` (default 15 s).
 */
export async function waitFor<T>(predicate: () => Promise<T | NotYet> | T | NotYet, options: WaitForOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown = undefined;
  for (;;) {
    try {
      const value = await predicate();
      if (value !== undefined && value !== null && value !== false) return value;
      lastValue = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const reason = lastError instanceof Error ? `last error: ${lastError.message}` : `last value: ${String(lastValue)}`;
  const extra = options.onTimeout ? `\n${options.onTimeout()}` : '';
  throw new Error(`waitFor timed out after ${timeoutMs} ms: ${options.description ?? 'condition'} (${reason})${extra}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
