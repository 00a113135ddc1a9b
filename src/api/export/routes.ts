// `GET /export/payouts.csv?epoch=N` and `GET /export/accounts/<address>/payouts.csv`: payouts as CSV,
// streamed from Postgres (see sendCsv.ts), beside /graphql on the API server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiDb } from '../db';
import { API_LIMIT_ENV, type ApiLimits } from '../limits';
import type { ApiLogger } from '../log';
import { planExport } from './queries';
import { EXPORT_PREFIX, ExportError, parseExportRequest } from './request';
import { sendCsvExport, sendExportError } from './sendCsv';

/** Parameters of {@link createExportRoutes}. */
export interface ExportRoutesParameters {
  /** The API's read-only database handle (an export holds one of its connections while it streams). */
  db: ApiDb;
  limits: Pick<ApiLimits, 'exportStatementTimeoutMs' | 'maxConcurrentExports'>;
  log: ApiLogger;
}

/**
 * Creates the request handler of every path under `/export/`; returns false for any other request.
 * At most `maxConcurrentExports` exports stream at once (each holds a pooled connection for its whole
 * download); one more is refused with 503 and `Retry-After`, so downloads cannot starve GraphQL.
 */
export function createExportRoutes({ db, limits, log }: ExportRoutesParameters) {
  let active = 0;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    const path = url.split('?', 1)[0];
    if (path !== '/export' && !path.startsWith(EXPORT_PREFIX)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendExportError(
        res,
        new ExportError(405, 'METHOD_NOT_ALLOWED', `The exports answer GET and HEAD, not ${req.method}.`),
        { allow: 'GET, HEAD' },
      );
      return true;
    }
    let plan;
    try {
      plan = planExport(parseExportRequest(url));
    } catch (err) {
      if (!(err instanceof ExportError)) throw err;
      sendExportError(res, err);
      return true;
    }
    if (active >= limits.maxConcurrentExports) {
      const max = limits.maxConcurrentExports;
      const message =
        `${max} exports are already streaming, the most this server runs at once: retry shortly ` +
        `(${API_LIMIT_ENV.maxConcurrentExports}).`;
      sendExportError(res, new ExportError(503, 'LIMIT_EXCEEDED', message, { limit: 'maxConcurrentExports', max }), {
        'retry-after': '1',
      });
      return true;
    }
    active++;
    sendCsvExport({ db, req, res, plan, timeoutMs: limits.exportStatementTimeoutMs, log })
      .catch((err) => {
        log('error', { msg: 'unexpected error in a csv export', error: String(err) });
        sendExportError(res, new ExportError(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'));
      })
      .finally(() => active--);
    return true;
  };
}
