import { Client, type QueryArrayResult } from 'pg';
import { hasCode, splitStatements } from './statements';
import { formatError, formatResult, type SqlErrorFields } from './table';

/** What running one statement printed. */
export interface StatementOutcome {
  /** The result table or command tag (empty when the statement failed). */
  output: string;
  /** The formatted error, when the statement failed. */
  error?: string;
}

/** One analyst connection: runs statements and prints their results. */
export interface SqlSession {
  /** Who the session is: its user, database and statement timeout (as SHOW prints it). */
  readonly info: { user: string; database: string; statementTimeout: string };
  /** Runs one statement (or a backslash command's query) and formats its result or error. */
  run(statement: string): Promise<StatementOutcome>;
  /** Runs `\d` (no name: the analytics views) or `\d name` (a view's columns). */
  describe(name?: string): Promise<StatementOutcome>;
  /** Asks the server to cancel the statement running now (from a second connection). */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/** Every value as Postgres' own text output (numeric stays exact, timestamps keep their zone). */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** Opens a session on `url` (the analyst's login). */
export async function openSqlSession({ url }: { url: string }): Promise<SqlSession> {
  const client = new Client({ connectionString: url, application_name: 'openledger-sql', types: RAW_TEXT });
  await client.connect();
  // A dropped connection fails the next statement; keep the process alive to say so.
  client.on('error', () => {});
  const {
    rows: [[backendPid, user, database, statementTimeout]],
  } = await client.query<[string, string, string, string]>({
    text: "SELECT pg_backend_pid(), current_user, current_database(), current_setting('statement_timeout')",
    rowMode: 'array',
  });

  const run = async (statement: string, values?: unknown[]): Promise<StatementOutcome> => {
    try {
      const result = (await client.query({ text: statement, values, rowMode: 'array' })) as
        QueryArrayResult | QueryArrayResult[];
      const results = Array.isArray(result) ? result : [result];
      return { output: results.map(formatResult).join('\n\n') };
    } catch (err) {
      const fields = err as SqlErrorFields;
      if (typeof fields?.message !== 'string') throw err;
      return { output: '', error: formatError(fields, statement) };
    }
  };

  return {
    info: { user, database, statementTimeout },
    run: (statement) => run(statement),
    describe(name) {
      if (!name) {
        return run(
          `SELECT c.relname AS view, obj_description(c.oid, 'pg_class') AS description
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'analytics' AND c.relkind IN ('v', 'm', 'r') ORDER BY 1`,
        );
      }
      const qualified = name.includes('.') ? name : `analytics.${name}`;
      return run(
        `SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
                col_description(a.attrelid, a.attnum) AS description
           FROM pg_attribute a
          WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attnum`,
        [qualified],
      ).then((outcome) =>
        outcome.output.endsWith('(0 rows)')
          ? { output: '', error: `Did not find any relation named "${name}".` }
          : outcome,
      );
    },
    async cancel() {
      const other = new Client({ connectionString: url, application_name: 'openledger-sql-cancel' });
      try {
        await other.connect();
        await other.query('SELECT pg_cancel_backend($1)', [backendPid]);
      } finally {
        await other.end().catch(() => {});
      }
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

/** The statements of a `-c` argument: every `;`-terminated one, plus a final one without `;`. */
export function commandStatements(text: string): string[] {
  const { statements, rest } = splitStatements(text);
  return hasCode(rest) ? [...statements, rest.trim()] : statements;
}
