/**
 * Splits SQL text into statements at top-level semicolons, as psql does: a `;` inside a string
 * ('…', E'…' with backslash escapes), a quoted identifier ("…"), a dollar-quoted body ($tag$…$tag$),
 * a `--` comment or a (nested) block comment does not end a statement.
 */

/** The complete statements of a text and what is left after the last one. */
export interface SplitStatements {
  /** Statements ended by a `;`, without it, trimmed; empty ones (`;;`, comments only) are dropped. */
  statements: string[];
  /** Text after the last top-level `;` (an unfinished statement, or whitespace). */
  rest: string;
}

const IDENT_CHAR = /[A-Za-z0-9_]/;

/** Splits `text` into its complete statements and the unfinished rest. */
export function splitStatements(text: string): SplitStatements {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (ch === "'") {
      const escapes = (text[i - 1] === 'E' || text[i - 1] === 'e') && !IDENT_CHAR.test(text[i - 2] ?? ' ');
      i = skipQuoted(text, i + 1, "'", escapes);
    } else if (ch === '"') {
      i = skipQuoted(text, i + 1, '"', false);
    } else if (ch === '$' && !IDENT_CHAR.test(text[i - 1] ?? ' ')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
      } else i++;
    } else if (ch === ';') {
      const statement = text.slice(start, i).trim();
      if (hasCode(statement)) statements.push(statement);
      start = i + 1;
      i++;
    } else i++;
  }
  return { statements, rest: text.slice(start) };
}

/** Index just after the closing quote of a string or identifier opened before `from` (n when unclosed). */
function skipQuoted(text: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') i += 2;
    else if (ch === quote) {
      if (text[i + 1] === quote)
        i += 2; // doubled quote: an escaped one
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** True when `text` holds something besides whitespace and comments. */
export function hasCode(text: string): boolean {
  return (
    text
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim() !== ''
  );
}
