// Structured logs of every production process (processor, API, migrations, `npm start` with
// LOG_FORMAT=json): one JSON object per line, `time` (ISO 8601), `level` and `msg` first, then the
// entry's snake_case fields. debug and info go to stdout, warn and above to stderr.

/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One record: a message and any fields. */
export type LogEntry = { msg: string } & Record<string, unknown>;

/** A structured log sink. */
export type JsonLogger = (level: LogLevel, entry: LogEntry) => void;

/** Reads LOG_LEVEL (default `info`); throws naming the variable when it is not a level. */
export function readLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  return raw as LogLevel;
}

/** JSON.stringify replacer: bigints as decimal strings, errors as plain objects (message, stack, own fields). */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const { message, stack, name } = value;
    return { name, message, stack, ...(value as unknown as Record<string, unknown>) };
  }
  return value;
}

/** One log line (with its newline): `{"time":…,"level":…,"msg":…,…fields}`. */
export function formatLogLine(level: LogLevel, entry: LogEntry, time: Date = new Date()): string {
  const { msg, level: _level, time: _time, ...fields } = entry;
  return `${JSON.stringify({ time: time.toISOString(), level, msg, ...fields }, replacer)}\n`;
}

/** Parameters of {@link createJsonLogger}. */
export interface JsonLoggerParameters {
  /** Lowest level written (default `info`; `readLogLevel()` reads LOG_LEVEL). */
  level?: LogLevel;
  /** Where debug and info lines go (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** Where warn, error and fatal lines go (default process.stderr). */
  stderr?: NodeJS.WritableStream;
}

/** Creates a logger writing one JSON line per record at or above `level`. */
export function createJsonLogger({
  level = 'info',
  stdout = process.stdout,
  stderr = process.stderr,
}: JsonLoggerParameters = {}): JsonLogger {
  const min = LOG_LEVELS.indexOf(level);
  return (lineLevel, entry) => {
    const rank = LOG_LEVELS.indexOf(lineLevel);
    if (rank < min) return;
    (rank >= LOG_LEVELS.indexOf('warn') ? stderr : stdout).write(formatLogLine(lineLevel, entry));
  };
}
