import readline from 'node:readline';
import type { SqlSession } from './session';
import { hasCode, splitStatements } from './statements';

/** The prompt of a new statement and of its continuation lines. */
export const PROMPT = 'analytics=> ';
export const CONTINUATION_PROMPT = 'analytics-> ';

/** What `\?` prints. */
export const REPL_HELP = `Statements end with ";" and may span lines (results are printed as aligned tables).
  \\d          list the analytics views
  \\d NAME     the columns of a view, their types and meanings
  \\r          discard the statement being typed
  \\q          quit (so does Ctrl-D); Ctrl-C cancels the running statement or clears the input
Views: docs/analytics.md; example queries: docs/sql.md.`;

/** Parameters of {@link runRepl}. */
export interface RunReplParameters {
  session: SqlSession;
  input: NodeJS.ReadableStream;
  /** Results (and prompts when interactive). */
  output: NodeJS.WritableStream;
  /** Error messages. */
  errors: NodeJS.WritableStream;
  /** A terminal: prompts, line editing and history, Ctrl-C handling. */
  interactive: boolean;
}

/** How a REPL run ended. */
export interface ReplReturnType {
  /** Statements that failed (their errors were printed and the session went on). */
  failures: number;
}

/**
 * Reads statements line by line until `\q` or end of input: each `;`-terminated statement runs as
 * soon as its line is read and prints its table; an error is printed and the session goes on. An
 * unterminated statement at the end of input still runs.
 */
export async function runRepl({
  session,
  input,
  output,
  errors,
  interactive,
}: RunReplParameters): Promise<ReplReturnType> {
  const rl = readline.createInterface({
    input,
    output: interactive ? output : undefined,
    terminal: interactive,
    prompt: PROMPT,
  });
  let buffer = '';
  let running = false;
  let failures = 0;
  const prompt = () => {
    if (!interactive) return;
    rl.setPrompt(buffer ? CONTINUATION_PROMPT : PROMPT);
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (running) {
      session.cancel().catch((err) => errors.write(`could not cancel: ${(err as Error).message}\n`));
      return;
    }
    buffer = '';
    // Drop the half-typed line too (move to its end, delete back to its start).
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    output.write('^C\n');
    prompt();
  });
  const show = (outcome: { output: string; error?: string }) => {
    if (outcome.error) {
      failures++;
      errors.write(`${outcome.error}\n`);
    } else output.write(`${outcome.output}\n\n`);
  };
  const execute = async (statement: string) => {
    running = true;
    try {
      show(await session.run(statement));
    } finally {
      running = false;
    }
  };

  prompt();
  let quit = false;
  for await (const line of rl) {
    const meta = /^\s*\\(\S*)\s*(.*?)\s*;?\s*$/.exec(line);
    if (meta) {
      const [, command, argument] = meta;
      if (command === 'q') {
        quit = true;
        break;
      } else if (command === 'd') {
        show(await session.describe(argument || undefined));
      } else if (command === '?') {
        output.write(`${REPL_HELP}\n`);
      } else if (command === 'r') {
        buffer = '';
      } else {
        failures++;
        errors.write(`invalid command \\${command}: try \\? for help\n`);
      }
      prompt();
      continue;
    }
    buffer = buffer ? `${buffer}\n${line}` : line;
    const { statements, rest } = splitStatements(buffer);
    buffer = hasCode(rest) ? rest : '';
    for (const statement of statements) await execute(statement);
    prompt();
  }
  if (!quit && hasCode(buffer)) await execute(buffer.trim());
  rl.close();
  return { failures };
}
