/** Writing the devnet's JSON files atomically (a reader never sees half a file). */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes JSON to file via a temporary file and a rename; pretty-printed unless `compact`. */
export function writeJsonFile(file: string, value: unknown, compact = false): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, compact ? JSON.stringify(value) : `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}
