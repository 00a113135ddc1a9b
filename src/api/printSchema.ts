import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from './schema';

/** Path of the committed SDL, so schema changes show up in review. */
export const SCHEMA_SDL_FILE = path.resolve(__dirname, '../../src/api/schema.generated.graphql');

/** Returns the API schema as SDL. */
export function printApiSchema(): string {
  return printSchema(schema) + '\n';
}

// `node lib/api/printSchema.js` rewrites src/api/schema.generated.graphql.
if (require.main === module) {
  fs.writeFileSync(SCHEMA_SDL_FILE, printApiSchema());
  process.stdout.write(`wrote ${SCHEMA_SDL_FILE}\n`);
}
