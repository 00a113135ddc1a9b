import fs from 'node:fs';
import path from 'node:path';

/** The documented queries of docs/queries.md by their `### Title`: the first graphql block under each. */
export function documentedQueries(file = path.resolve(__dirname, '../../docs/queries.md')): Map<string, string> {
  const out = new Map<string, string>();
  const text = fs.readFileSync(file, 'utf8');
  for (const section of text.split(/^### /m).slice(1)) {
    const title = section.slice(0, section.indexOf('\n')).trim();
    const block = /```graphql\n([\s\S]*?)```/.exec(section);
    if (block) out.set(title, block[1]);
  }
  return out;
}
