// What a node:http response sent, captured as it goes out: the response cache replays it byte for
// byte. Not a copy of node's logic: the wrappers only look at what passes through and hand it on.
import type { ServerResponse } from 'node:http';

/** Response headers not replayed: they belong to the connection or the moment. */
const CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** A response as sent. */
export interface CapturedResponse {
  status: number;
  /** Every header but the connection's own (Date, Connection, Keep-Alive, Transfer-Encoding). */
  headers: [string, string | string[] | number][];
  body: Buffer;
}

/**
 * Wraps `res` so that, once its last chunk was handed to node (`end`), `onEnd` is called with its
 * status and a function that assembles the headers and the body it sent (only when wanted).
 */
export function captureResponse(
  res: ServerResponse,
  onEnd: (status: number, sent: () => CapturedResponse) => void,
): void {
  const chunks: Buffer[] = [];
  // @whatwg-node/server passes yoga's headers to writeHead as an object (or sets them before): the
  // former are not in getHeaders(), so they are kept here.
  const headed: Record<string, string | string[] | number> = {};
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const given = rest.find((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
    for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) headed[k.toLowerCase()] = v as string;
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk == null || typeof chunk === 'function') return;
    chunks.push(
      Buffer.isBuffer(chunk)
        ? chunk
        : typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array),
    );
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    const result = end(chunk, ...rest);
    const status = res.statusCode;
    onEnd(status, () => ({
      status,
      headers: Object.entries({ ...res.getHeaders(), ...headed }).filter(
        ([name, value]) => value !== undefined && !CONNECTION_HEADERS.has(name),
      ) as CapturedResponse['headers'],
      body: Buffer.concat(chunks),
    }));
    return result;
  }) as typeof res.end;
}
