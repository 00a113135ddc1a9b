// A minimal GraphQL-over-SSE client (graphql-yoga's "distinct connections" mode) for tests and the
// live benchmark: one HTTP request per subscription, `event: next` / `event: complete` frames.
import http from 'node:http';

/** One subscription over SSE. */
export interface SseSubscription<T = any> {
  /** Every `next` payload received so far (`{ data?, errors? }`), with its arrival time. */
  readonly received: { payload: { data?: T; errors?: { message: string; extensions?: any }[] }; at: number }[];
  /** Resolves with the next payload not taken yet (waits up to `timeoutMs`, default 10 s). */
  next(timeoutMs?: number): Promise<{ data?: T; errors?: { message: string; extensions?: any }[] }>;
  /** Resolves once the server answered with the SSE headers (the subscription is registered soon after). */
  readonly opened: Promise<void>;
  /** True once the server sent `complete` or the connection closed. */
  readonly ended: boolean;
  /** Closes the connection (the server ends the subscription). */
  close(): void;
}

/** Opens a subscription: POSTs `{query, variables}` to `url` with `Accept: text/event-stream`. */
export function subscribeSse<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  agent?: http.Agent,
): SseSubscription<T> {
  const received: SseSubscription<T>['received'] = [];
  let taken = 0;
  let ended = false;
  let wake: (() => void) | null = null;
  const body = JSON.stringify({ query, variables });
  let markOpened: () => void = () => {};
  let failOpen: (err: Error) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    markOpened = resolve;
    failOpen = reject;
  });
  opened.catch(() => {});
  const req = http.request(url, {
    method: 'POST',
    agent,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'content-length': Buffer.byteLength(body),
    },
  });
  const finish = () => {
    ended = true;
    wake?.();
  };
  req.on('response', (res) => {
    markOpened();
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = frame.split('\n');
        const event = lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim();
        const data = lines
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (event === 'next' && data) {
          received.push({ payload: JSON.parse(data), at: Date.now() });
          wake?.();
        } else if (event === 'complete') finish();
      }
    });
    res.on('end', finish);
    res.on('close', finish);
  });
  req.on('error', (err) => {
    failOpen(err);
    finish();
  });
  req.end(body);
  return {
    received,
    opened,
    get ended() {
      return ended;
    },
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (taken >= received.length) {
        if (ended) throw new Error(`subscription ended after ${received.length} events`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event in ${timeoutMs} ms (received ${received.length})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      return received[taken++].payload;
    },
    close() {
      req.destroy();
      finish();
    },
  };
}
