import type { JsonLogger } from '../util/log';

/** The human-facing output of `npm start`: a start-up summary, then one line per event. */
export interface Output {
  /** A start-up step: `  database   embedded Postgres …`. */
  step(label: string, text: string): void;
  /** A plain line. */
  line(text: string): void;
  /** Something the operator should notice. */
  warn(text: string): void;
  /** A failure (stderr). */
  error(text: string): void;
}

const LABEL_WIDTH = 11;

/** Creates an {@link Output} writing to the given streams (default stdout / stderr). */
export function createOutput(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Output {
  const write = (stream: NodeJS.WritableStream, text: string) => stream.write(text.endsWith('\n') ? text : text + '\n');
  return {
    step: (label, text) => write(out, `  ${label.padEnd(LABEL_WIDTH)}${text}`),
    line: (text) => write(out, text),
    warn: (text) => write(out, `warning: ${text}`),
    error: (text) => write(err, `error: ${text}`),
  };
}

/**
 * The same output as JSON records (LOG_FORMAT=json): `{"time","level","msg","step"}`, one per line,
 * for a log collector; blank lines are dropped and a multi-line text stays one record.
 */
export function createJsonOutput(log: JsonLogger): Output {
  const entry = (text: string, step?: string) => ({ msg: text.trim(), ...(step ? { step } : {}) });
  const emit = (level: 'info' | 'warn' | 'error', text: string, step?: string) => {
    if (text.trim()) log(level, entry(text, step));
  };
  return {
    step: (label, text) => emit('info', text, label || undefined),
    line: (text) => emit('info', text),
    warn: (text) => emit('warn', text),
    error: (text) => emit('error', text),
  };
}

/** Decision of a {@link LineBudget}: print, drop silently, or drop and say that further lines are dropped. */
export type BudgetDecision = 'print' | 'drop' | 'drop-first';

/** Limits how many lines of one kind are printed per time window. */
export interface LineBudget {
  take(now: number): BudgetDecision;
}

/** Creates a {@link LineBudget} allowing `max` lines per `windowMs`. */
export function createLineBudget(max: number, windowMs: number): LineBudget {
  let windowStart = -Infinity;
  let used = 0;
  return {
    take(now) {
      if (now - windowStart >= windowMs) {
        windowStart = now;
        used = 0;
      }
      used++;
      if (used <= max) return 'print';
      return used === max + 1 ? 'drop-first' : 'drop';
    },
  };
}
