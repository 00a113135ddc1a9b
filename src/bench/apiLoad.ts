import http from 'node:http';
import autocannon from 'autocannon';

/** One GraphQL request to send, with what its answer is checked against. */
export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
  /** Handed to the check with the response (e.g. the first id a page must start with). */
  expect?: unknown;
  /** In a mixed run: which query of the mix this is (its answers are judged and timed apart). */
  tag?: string;
  /** In a mixed run: this request's own check (default: the run's). */
  check?: (data: unknown, expect: unknown) => string | null;
}

/** Parameters of {@link runLoad}. */
export interface LoadParameters {
  /** `http://127.0.0.1:port/path` of the GraphQL endpoint. */
  url: string;
  /** Concurrent connections, each sending its next request when the previous one answered. */
  connections: number;
  /** Seconds of load. */
  durationSec: number;
  /** The next request to send (called once per request, so requests vary). */
  next: () => GraphqlRequest;
  /** Why an answer's `data` is wrong (empty, another page, ...), or null when it is right. */
  check: (data: unknown, expect: unknown) => string | null;
}

/** What one load run measured. Latencies in ms, from sending a request to its whole answer. */
export interface LoadResult {
  responses: number;
  seconds: number;
  /** Answered requests per second (right or not). */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Requests that failed: timeouts, connection errors, non-200, GraphQL errors, failed checks. */
  errors: number;
  /** Distinct error messages with their counts. */
  errorSamples: Map<string, number>;
}

/** The q-quantile (0..1) of ascending `sorted` values, nearest rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/**
 * Classifies one answer: null when it is a 200 with no GraphQL errors whose data passes `check`,
 * else a short reason (the same reasons are counted together).
 */
export function judgeResponse(
  status: number,
  body: string,
  expect: unknown,
  check: LoadParameters['check'],
): string | null {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 160)}`;
  let parsed: { data?: unknown; errors?: { message?: string; extensions?: { code?: string } }[] };
  try {
    parsed = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 160)}`;
  }
  if (parsed.errors?.length) {
    const e = parsed.errors[0];
    return `GraphQL error${e.extensions?.code ? ` ${e.extensions.code}` : ''}: ${e.message ?? JSON.stringify(e)}`;
  }
  if (parsed.data == null) return 'no data';
  return check(parsed.data, expect);
}

/**
 * Runs autocannon against a GraphQL endpoint for `durationSec` with `connections` connections
 * (no pipelining), every request built by `next` and every answer judged; returns throughput,
 * exact latency percentiles (every response time is kept) and the errors.
 */
export async function runLoad(params: LoadParameters): Promise<LoadResult> {
  return (await runTaggedLoad(params)).all;
}

/** What a mixed run measured: everything, and each tag apart. */
export interface TaggedLoadResult {
  all: LoadResult;
  byTag: Map<string, LoadResult>;
}

/**
 * {@link runLoad} over requests that carry a tag (a query of a mix): the same run, and per tag its
 * answers, errors and latencies (from handing the request to autocannon to its whole answer).
 */
export function runTaggedLoad({
  url,
  connections,
  durationSec,
  next,
  check,
}: LoadParameters): Promise<TaggedLoadResult> {
  const tagged = new Map<string, { latencies: number[]; failed: number; errorSamples: Map<string, number> }>();
  const tagOf = (tag: string) => {
    let t = tagged.get(tag);
    if (!t) tagged.set(tag, (t = { latencies: [], failed: 0, errorSamples: new Map() }));
    return t;
  };
  const latencies: number[] = [];
  const errorSamples = new Map<string, number>();
  let failed = 0;
  const fail = (why: string) => {
    failed++;
    errorSamples.set(why, (errorSamples.get(why) ?? 0) + 1);
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationSec,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: new URL(url).pathname,
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            setupRequest: (request, context) => {
              const { query, variables, expect, tag, check: own } = next();
              context.expect = expect;
              context.tag = tag;
              context.check = own;
              context.sentAt = performance.now();
              return { ...request, body: JSON.stringify({ query, variables }) };
            },
            onResponse: (status, body, context) => {
              const why = judgeResponse(status, body, context.expect, (context.check as typeof check) ?? check);
              if (why) fail(why);
              if (typeof context.tag === 'string') {
                const t = tagOf(context.tag);
                t.latencies.push(performance.now() - (context.sentAt as number));
                if (why) {
                  t.failed++;
                  t.errorSamples.set(why, (t.errorSamples.get(why) ?? 0) + 1);
                }
              }
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const timeouts = Math.min(result.timeouts, result.errors);
        for (let i = 0; i < timeouts; i++) fail('no answer within 10 s (timeout)');
        for (let i = 0; i < result.errors - timeouts; i++) fail('connection error');
        const summarize = (values: number[], errors: number, samples: Map<string, number>): LoadResult => {
          const sorted = values.sort((a, b) => a - b);
          return {
            responses: sorted.length,
            seconds: result.duration,
            rps: sorted.length / Math.max(result.duration, 1e-9),
            p50: quantile(sorted, 0.5),
            p95: quantile(sorted, 0.95),
            p99: quantile(sorted, 0.99),
            max: sorted.length ? sorted[sorted.length - 1] : NaN,
            errors,
            errorSamples: samples,
          };
        };
        resolve({
          all: summarize(latencies, failed, errorSamples),
          byTag: new Map([...tagged].map(([tag, t]) => [tag, summarize(t.latencies, t.failed, t.errorSamples)])),
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

/** Parameters of {@link probeLatency}. */
export interface ProbeParameters {
  url: string;
  next: () => GraphqlRequest;
  check: LoadParameters['check'];
  /** Keep going until both this many seconds passed and `minRequests` answered, or `maxSec` passed. */
  minSec: number;
  minRequests: number;
  maxSec: number;
}

/**
 * Latency without queueing: one request at a time (fetch, keep-alive), until enough time and
 * answers; the same figures as {@link runLoad}.
 */
export async function probeLatency({
  url,
  next,
  check,
  minSec,
  minRequests,
  maxSec,
}: ProbeParameters): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples = new Map<string, number>();
  let failed = 0;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let sent = 0;
  while (elapsed() < maxSec && (elapsed() < minSec || sent < minRequests)) {
    sent++;
    const { query, variables, expect } = next();
    const t = performance.now();
    let why: string | null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(Math.ceil(Math.max(1, maxSec - elapsed()) * 1000)),
      });
      const body = await res.text();
      latencies.push(performance.now() - t);
      why = judgeResponse(res.status, body, expect, check);
    } catch (err) {
      why = `no answer: ${(err as Error).name}`;
    }
    if (why) {
      failed++;
      errorSamples.set(why, (errorSamples.get(why) ?? 0) + 1);
    }
  }
  const seconds = elapsed();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    responses: sorted.length,
    seconds,
    rps: sorted.length / seconds,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    errors: failed,
    errorSamples,
  };
}

/** Parameters of {@link runPaced}. */
export interface PacedParameters {
  url: string;
  /** Requests per second offered, evenly spaced, whatever the answers' pace (open loop). */
  rate: number;
  durationSec: number;
  /** Requests in flight at most; a request due while this many are out is counted as an error. */
  maxInFlight: number;
  next: () => GraphqlRequest;
  check: LoadParameters['check'];
}

/**
 * Latency at a fixed offered rate below saturation: requests leave on schedule (not when the
 * previous one answered), and each latency runs from its scheduled time, so a stalled server shows
 * in the percentiles instead of slowing the clients down (no coordinated omission).
 */
export async function runPaced({
  url,
  rate,
  durationSec,
  maxInFlight,
  next,
  check,
}: PacedParameters): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples = new Map<string, number>();
  let failed = 0;
  const fail = (why: string) => {
    failed++;
    errorSamples.set(why, (errorSamples.get(why) ?? 0) + 1);
  };
  const started = performance.now();
  const total = Math.max(1, Math.floor(rate * durationSec));
  const pending = new Set<Promise<void>>();
  // node:http with kept-alive sockets, not fetch: at ~1,000 req/s fetch's own CPU would slow the
  // generator, which shares the machine's cores with the servers.
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const target = new URL(url);
  const post = (body: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'content-length': Buffer.byteLength(body),
          },
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
      req.on('error', reject);
      req.end(body);
    });
  const send = async (scheduled: number) => {
    const { query, variables, expect } = next();
    try {
      const res = await post(JSON.stringify({ query, variables }));
      latencies.push(performance.now() - scheduled);
      const why = judgeResponse(res.status, res.body, expect, check);
      if (why) fail(why);
    } catch (err) {
      fail(`no answer: ${(err as Error).name}`);
    }
  };
  for (let k = 0; k < total; k++) {
    const scheduled = started + (k * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (pending.size >= maxInFlight) {
      fail(`${maxInFlight} requests already in flight`);
      continue;
    }
    const p = send(scheduled).finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    responses: sorted.length,
    seconds,
    rps: sorted.length / seconds,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    errors: failed,
    errorSamples,
  };
}
