// Subsquid's logger (`@subsquid/logger`, which the processor and its store use) writes its own JSON
// lines with a numeric level and epoch-millisecond time, or coloured text on a terminal. Its root sink
// is pointed at ours, so the processor prints one format: `time` (ISO), `level` (a name), `msg`, and
// Subsquid's namespace as `ns`. Which records Subsquid emits is still set by SQD_LOG / SQD_DEBUG / …;
// LOG_LEVEL then filters them like our own lines.
import { setRootSink } from '@subsquid/logger';
import type { JsonLogger, LogLevel } from '../util/log';

/** Subsquid's numeric levels (TRACE 0 … FATAL 5) as our level names; trace is written as debug. */
const LEVELS: LogLevel[] = ['debug', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Converts one Subsquid log record to our level and entry. */
export function fromSubsquidRecord(rec: Record<string, unknown>): {
  level: LogLevel;
  entry: { msg: string } & Record<string, unknown>;
} {
  const { level, time: _time, msg, ...fields } = rec;
  const name = typeof level === 'number' ? (LEVELS[level] ?? 'info') : 'info';
  return { level: name, entry: { msg: typeof msg === 'string' ? msg : '', ...fields } };
}

/** Sends every Subsquid log record of this process to `log`. */
export function routeSubsquidLogs(log: JsonLogger): void {
  setRootSink((rec) => {
    const { level, entry } = fromSubsquidRecord(rec as unknown as Record<string, unknown>);
    log(level, entry);
  });
}
