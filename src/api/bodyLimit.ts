import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { API_LIMIT_ENV } from './limits';

/** The 413 error of a body over the limit: code LIMIT_EXCEEDED naming the limit and its variable. */
function bodyTooLarge(maxBytes: number, size?: number): GraphQLError {
  const what = size === undefined ? 'Request body exceeds' : `Request body of ${size} bytes exceeds`;
  return new GraphQLError(`${what} the limit of ${maxBytes} bytes (${API_LIMIT_ENV.maxBodyBytes}).`, {
    extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes', max: maxBytes, http: { status: 413 } },
  });
}

/**
 * A yoga plugin refusing request bodies over `maxBytes` with HTTP 413 before anything parses them:
 * at once when Content-Length says so, else (chunked bodies) as soon as the bytes read pass the
 * limit. A body within the limit is handed to yoga's own parser (JSON, multipart, ...) unchanged.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, endResponse, fetchAPI }) {
      if (request.method === 'GET' || request.method === 'HEAD' || !requestParser) return;
      const declared = Number(request.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared)) {
        if (declared <= maxBytes) return; // the stream cannot be longer than its Content-Length
        const error = bodyTooLarge(maxBytes, declared);
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({ errors: [{ message: error.message, extensions: publicExtensions(error) }] }),
            {
              status: 413,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            },
          ),
        );
        return;
      }
      setRequestParser(async (req) => {
        const chunks: Uint8Array[] = [];
        let size = 0;
        if (req.body) {
          const reader = req.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            size += value.byteLength;
            if (size > maxBytes) {
              await reader.cancel().catch(() => {});
              throw bodyTooLarge(maxBytes);
            }
            chunks.push(value);
          }
        }
        const body = Buffer.concat(chunks, size);
        return requestParser(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body }));
      });
    },
  };
}

/** Extensions as sent to the client (yoga strips `http` from errors it serializes itself). */
function publicExtensions(error: GraphQLError): Record<string, unknown> {
  const { http: _, ...rest } = error.extensions as Record<string, unknown>;
  return rest;
}
