/** An expected failure of `npm start`: printed as its message (what to check), never as a stack trace. */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** Hides the password of a connection URL so it can be printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/** Hides what may be an API key in an RPC URL (path, query, credentials) so it can be printed. */
export function redactRpcUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = (u.pathname !== '/' && u.pathname !== '') || u.search || u.username;
    return hidden ? `${u.protocol}//${u.host}/***` : `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid URL)';
  }
}

interface ErrorWithCode {
  code?: string;
  errors?: unknown[];
}

function codeOf(err: unknown, depth = 0): string | undefined {
  const e = err as (ErrorWithCode & { cause?: unknown }) | undefined;
  if (!e || depth > 5) return undefined;
  if (e.code) return e.code;
  // AggregateError (pg over IPv4 + IPv6): take the first inner code.
  for (const inner of e.errors ?? []) {
    const c = codeOf(inner, depth + 1);
    if (c) return c;
  }
  return codeOf(e.cause, depth + 1);
}

/** Turns a database connection or query failure into a StartError that says what to check. */
export function describeDatabaseError(err: unknown, url: string, step: string): StartError {
  const code = codeOf(err);
  const where = redactUrl(url);
  const message = (err as Error | undefined)?.message || String(err);
  const hints: Record<string, string> = {
    ECONNREFUSED: 'nothing answers there: is Postgres running, and are host and port in DB_URL right?',
    ENOTFOUND: 'the host name in DB_URL does not resolve',
    ETIMEDOUT: 'the connection timed out: check the host, port and any firewall',
    '28P01': 'password authentication failed: check the user and password in DB_URL',
    '28000': 'the server refused this user: check the user in DB_URL and pg_hba.conf',
    '3D000': 'the database in DB_URL does not exist: create it (createdb) or fix the name',
    '42501': 'the DB_URL user lacks a privilege: it must own the database (migrations create tables and schemas)',
  };
  const hint = (code && hints[code]) || 'check DB_URL (or unset it to use the embedded Postgres)';
  return new StartError(`${step} failed for ${where}: ${message}\n  ${hint}`, { cause: err });
}

/** True when an error is "address already in use". */
export function isAddressInUse(err: unknown): boolean {
  return codeOf(err) === 'EADDRINUSE';
}
