// Streams `COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER)` from Postgres into an HTTP response,
// chunk by chunk with backpressure: memory stays at a few socket buffers whatever the row count.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PoolClient } from 'pg';
import { to as copyTo, type CopyToStreamQuery } from 'pg-copy-streams';
import { isStatementTimeout, type ApiDb } from '../db';
import { API_LIMIT_ENV } from '../limits';
import type { ApiLogger } from '../log';
import type { ExportPlan } from './queries';
import { ExportError } from './request';

/** Parameters of {@link sendCsvExport}. */
export interface SendCsvExportParameters {
  db: ApiDb;
  req: IncomingMessage;
  res: ServerResponse;
  plan: ExportPlan;
  /** statement_timeout of the export's statements, the COPY included (ms). */
  timeoutMs: number;
  log: ApiLogger;
}

/** Headers of a CSV download. */
function csvHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}

/**
 * Answers with an error's JSON body; when the CSV has already started (status and headers sent), the
 * response is cut instead (the client sees a chunked body without its last chunk: a failed download).
 */
export function sendExportError(res: ServerResponse, err: ExportError, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(err.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(err.body()));
}

/** Resolves true on 'drain', false when the response closes first (or already has). */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Runs one export on a connection of its own, in a read-only REPEATABLE READ transaction (the check
 * and the COPY see one snapshot) with `statement_timeout = timeoutMs`: the optional existence check
 * (404 when it finds nothing), then the COPY, whose chunks are written to `res` as they arrive; a full
 * socket pauses the COPY until it drains. Status and headers go out with the first chunk, so an error
 * before any data (a timeout while waiting for a lock, a missing table) is a proper JSON error.
 *
 * A client that disconnects ends the export at once: the COPY stream is dropped and its connection is
 * closed rather than returned to the pool (it is in the middle of a COPY), which also ends the
 * statement on the server. A statement timeout rolls back and returns the connection.
 */
export async function sendCsvExport({ db, req, res, plan, timeoutMs, log }: SendCsvExportParameters): Promise<void> {
  const started = performance.now();
  const record = (extra: Record<string, unknown>) => ({
    export: plan.filename,
    bytes,
    duration_ms: Math.round(performance.now() - started),
    ...extra,
  });
  let bytes = 0;
  let gone = false;
  let copy: CopyToStreamQuery | undefined;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    copy?.destroy();
  };
  res.on('close', onClose);

  let client: PoolClient | undefined;
  let released = false;
  const release = (err?: Error) => {
    if (client && !released) {
      released = true;
      client.release(err);
    }
  };
  try {
    client = await db.connect();
    await client.query(
      `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`,
    );
    if (plan.check) {
      const found = await client.query(plan.check.text, plan.check.values);
      if (found.rowCount === 0) {
        await client.query('ROLLBACK');
        release();
        sendExportError(res, new ExportError(404, 'NOT_FOUND', plan.check.notFound, plan.check.extensions));
        return;
      }
    }
    if (gone || req.method === 'HEAD') {
      await client.query('COMMIT');
      release();
      if (!gone) {
        res.writeHead(200, csvHeaders(plan.filename));
        res.end();
      }
      return;
    }
    copy = client.query(copyTo(`COPY (${plan.select}) TO STDOUT WITH (FORMAT csv, HEADER)`));
    // The loop below reads the stream's errors; this listener takes the ones that come after it gave up
    // on the stream (the connection closed under a dropped COPY), which would otherwise be uncaught.
    copy.on('error', () => {});
    for await (const chunk of copy as AsyncIterable<Buffer>) {
      if (!res.headersSent) res.writeHead(200, csvHeaders(plan.filename));
      bytes += chunk.length;
      if (!res.write(chunk) && !(await drained(res))) break;
    }
    if (gone) throw new Error('the client disconnected');
    await client.query('COMMIT');
    release();
    if (!res.headersSent) res.writeHead(200, csvHeaders(plan.filename)); // COPY always sends its header row
    res.end();
    log('info', { msg: 'csv export sent', ...record({ rows: copy.rowCount }) });
  } catch (err) {
    if (gone) {
      // Mid-COPY the connection cannot take another statement: close it (the server ends the COPY).
      release(new Error('csv export: the client disconnected'));
      log('info', { msg: 'csv export aborted: the client disconnected', ...record({}) });
      return;
    }
    if (client && isStatementTimeout(err)) {
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      release(rolledBack ? undefined : (err as Error));
      log('warn', { msg: 'statement timeout in a csv export', ...record({ timeout_ms: timeoutMs }) });
      const message =
        `The export ran longer than the export statement timeout of ${timeoutMs} ms and was cancelled: ` +
        `ask for a narrower range or raise ${API_LIMIT_ENV.exportStatementTimeoutMs}.`;
      sendExportError(
        res,
        new ExportError(503, 'LIMIT_EXCEEDED', message, { limit: 'exportStatementTimeoutMs', max: timeoutMs }),
      );
      return;
    }
    release(err as Error);
    log('error', { msg: 'unexpected error in a csv export', ...record({ error: String(err) }) });
    sendExportError(res, new ExportError(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'));
  } finally {
    res.off('close', onClose);
  }
}
