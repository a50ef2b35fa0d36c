// One HTTP call with a bound, and an error that says in one line why the app did not answer.

export class AppUnreachableError extends Error {}

/** `fetch` with a timeout; resolves { status, text, json } or throws AppUnreachableError. */
export async function call(method, url, { headers = {}, body, timeoutMs = 5_000 } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = error.cause?.code ?? error.cause?.message;
    const why =
      error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : cause === 'ECONNREFUSED'
          ? 'connection refused'
          : (cause ?? error.message);
    throw new AppUnreachableError(`${method} ${url}: ${why}`);
  }
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** The server's own message out of a Nest error body, else the start of the body. */
export function serverMessage({ json, text }) {
  const message = json?.message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return text.slice(0, 200) || '(empty body)';
}
