/**
 * Prints query results as psql prints them (aligned text): a centred header, a rule, one line per
 * row (cells holding newlines span several lines), numbers right-aligned, NULL as an empty cell,
 * and a row-count footer. Statements without a result set print their command tag.
 */

/** What a result needs to be printed: its columns and rows (values as Postgres' text output). */
export interface ResultTable {
  /** The statement's command tag (`SELECT`, `SET`, `SHOW`, …). */
  command: string;
  /** Rows affected or returned (null when Postgres gives none). */
  rowCount: number | null;
  fields: readonly { name: string; dataTypeID: number }[];
  /** One array per row, in column order; null is SQL NULL. */
  rows: readonly (readonly unknown[])[];
}

/** Postgres type oids printed right-aligned: int2, int4, int8, oid, float4, float8, money, numeric. */
const NUMERIC_TYPES = new Set([21, 23, 20, 26, 700, 701, 790, 1700]);

/** Commands whose tag carries the number of rows (as psql prints them). */
const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'MOVE', 'FETCH']);

/** The text of one value: strings as they are, NULL as '', anything else through String(). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `text` padded to `width`: left, right or centred. */
function pad(text: string, width: number, align: 'left' | 'right' | 'center'): string {
  const room = width - text.length;
  if (room <= 0) return text;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'left') return text + ' '.repeat(room);
  const left = Math.floor(room / 2);
  return ' '.repeat(left) + text + ' '.repeat(room - left);
}

/** `(1 row)`, `(3 rows)`. */
export function formatRowCount(n: number): string {
  return `(${n} ${n === 1 ? 'row' : 'rows'})`;
}

/** Formats one result: an aligned table with a row-count footer, or the command tag. No trailing newline. */
export function formatResult(result: ResultTable): string {
  if (result.fields.length === 0) {
    const { command, rowCount } = result;
    if (rowCount === null || !COUNTED_COMMANDS.has(command)) return command;
    return command === 'INSERT' ? `INSERT 0 ${rowCount}` : `${command} ${rowCount}`;
  }
  const align = result.fields.map((f) => (NUMERIC_TYPES.has(f.dataTypeID) ? 'right' : 'left') as 'left' | 'right');
  const cells = result.rows.map((row) => result.fields.map((_, i) => cellText(row[i]).split('\n')));
  const widths = result.fields.map((f, i) =>
    Math.max(f.name.length, ...cells.map((row) => Math.max(...row[i].map((line) => line.length)))),
  );
  const line = (parts: string[]) => ` ${parts.join(' | ')} `.trimEnd();
  const out = [
    line(result.fields.map((f, i) => pad(f.name, widths[i], 'center'))),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
  ];
  for (const row of cells) {
    const height = Math.max(...row.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      out.push(line(row.map((c, i) => pad(c[k] ?? '', widths[i], align[i]))));
    }
  }
  out.push(formatRowCount(result.rows.length));
  return out.join('\n');
}

/** A Postgres error as the server reported it (the fields pg's DatabaseError carries). */
export interface SqlErrorFields {
  message: string;
  severity?: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement. */
  position?: string;
}

/**
 * Formats an error like psql: `ERROR:  message`, the statement line with a caret under the position
 * when the server gave one, then DETAIL and HINT.
 */
export function formatError(err: SqlErrorFields, statement?: string): string {
  const out = [`${err.severity ?? 'ERROR'}:  ${err.message}`];
  const position = err.position ? Number(err.position) : NaN;
  if (statement !== undefined && Number.isInteger(position) && position >= 1 && position <= statement.length + 1) {
    const before = statement.slice(0, position - 1);
    const lineNo = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const lineEnd = statement.indexOf('\n', lineStart);
    const text = statement.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    const prefix = `LINE ${lineNo}: `;
    out.push(prefix + text, ' '.repeat(prefix.length + (position - 1 - lineStart)) + '^');
  }
  if (err.detail) out.push(`DETAIL:  ${err.detail}`);
  if (err.hint) out.push(`HINT:  ${err.hint}`);
  return out.join('\n');
}
