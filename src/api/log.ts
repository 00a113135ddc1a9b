import { createJsonLogger } from '../util/log';

/** Structured log sink of the API: a level and a record with `msg` and snake_case fields. */
export type ApiLogger = (level: 'info' | 'warn' | 'error', entry: { msg: string } & Record<string, unknown>) => void;

/** A logger that drops everything (the default for library use and tests). */
export const silentLogger: ApiLogger = () => {};

/** A logger writing one JSON line per record to stderr (warn, error) or stdout (info), at level info. */
export const jsonLineLogger: ApiLogger = createJsonLogger();
