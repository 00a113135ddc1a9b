/**
 * `npm run sql`: an SQL session as the read-only role `analyst` (schema `analytics`), against
 * ANALYST_DB_URL, DB_URL's database, or the embedded database `npm start` uses (started for the
 * session when it is not running). `-c "…"` runs the statements given, prints their tables and exits
 * (1 on an SQL error); without it, an interactive session (or the statements piped on stdin).
 */
import { runRepl } from './repl';
import { resolveSqlTarget } from './login';
import { commandStatements, openSqlSession } from './session';

export const SQL_USAGE = `Usage: npm run sql [-- -c "SQL"]

Opens an SQL session as the read-only role analyst, which reads the analytics views
(docs/analytics.md; example queries in docs/sql.md).

Options:
  -c, --command SQL   run these statements, print their results and exit (1 on an error)
  -h, --help          print this help

Database: ANALYST_DB_URL; else the role analyst on DB_URL's database (password
ANALYST_DB_PASSWORD, default analyst); else the embedded database of npm start
(EMBEDDED_PG_DIR, EMBEDDED_PG_PORT), started for the session when it is not running.
`;

/** The command line of `npm run sql`. */
export interface SqlOptions {
  command?: string;
  help: boolean;
}

/** Parses the arguments after `npm run sql --`; an unknown or incomplete one is an error naming it. */
export function parseSqlArgs(argv: readonly string[]): SqlOptions {
  const options: SqlOptions = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '-c' || arg === '--command') {
      const value = argv[++i];
      if (value === undefined || value.trim() === '') throw new Error(`${arg} needs an SQL statement`);
      if (options.command !== undefined) throw new Error(`${arg} given twice: put both statements in one -c`);
      options.command = value;
    } else throw new Error(`unknown argument "${arg}"`);
  }
  return options;
}

async function main(): Promise<number> {
  let options: SqlOptions;
  try {
    options = parseSqlArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`npm run sql: ${(err as Error).message}\n\n${SQL_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(SQL_USAGE);
    return 0;
  }
  const target = await resolveSqlTarget(process.env);
  try {
    for (const note of target.notes) process.stderr.write(`${note}\n`);
    const session = await openSqlSession({ url: target.url });
    try {
      if (options.command !== undefined) {
        let separator = '';
        for (const statement of commandStatements(options.command)) {
          const outcome = await session.run(statement);
          if (outcome.error) {
            process.stderr.write(`${outcome.error}\n`);
            return 1;
          }
          process.stdout.write(`${separator}${outcome.output}\n`);
          separator = '\n';
        }
        return 0;
      }
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      if (interactive) {
        const { user, database, statementTimeout } = session.info;
        process.stdout.write(
          `Connected as ${user} to ${database} (statement timeout ${statementTimeout}). Type \\? for help, \\q to quit.\n`,
        );
      }
      const { failures } = await runRepl({
        session,
        input: process.stdin,
        output: process.stdout,
        errors: process.stderr,
        interactive,
      });
      // Piped statements: say whether they all ran (an interactive session ends well on \q).
      return failures > 0 && !interactive ? 1 : 0;
    } finally {
      await session.close();
    }
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    const cause = err?.cause ? ` (${err.cause.message ?? err.cause})` : '';
    process.stderr.write(`npm run sql: ${err?.message ?? err}${cause}\n`);
    process.exit(1);
  },
);
