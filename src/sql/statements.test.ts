import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasCode, splitStatements } from './statements';

describe('splitStatements', () => {
  const cases: [name: string, text: string, statements: string[], rest: string][] = [
    ['one statement', 'SELECT 1;', ['SELECT 1'], ''],
    ['several on a line, the rest kept', 'SELECT 1; SELECT 2;  SELECT', ['SELECT 1', 'SELECT 2'], '  SELECT'],
    ['a statement over lines', 'SELECT a,\n  b\nFROM t\n;\n', ['SELECT a,\n  b\nFROM t'], '\n'],
    ['no semicolon yet', 'SELECT 1', [], 'SELECT 1'],
    ["';' in a string", "SELECT 'a;b', 'it''s;';", ["SELECT 'a;b', 'it''s;'"], ''],
    ['an unclosed string continues', "SELECT 'a;\nb", [], "SELECT 'a;\nb"],
    ["E'' strings with backslash escapes", "SELECT E'\\';x';", ["SELECT E'\\';x'"], ''],
    ['a plain string ending in a backslash', "SELECT 'a\\'; SELECT 2;", ["SELECT 'a\\'", 'SELECT 2'], ''],
    ['quoted identifiers', 'SELECT 1 AS "a;b";', ['SELECT 1 AS "a;b"'], ''],
    ['-- comments', 'SELECT 1 -- no; end\n;', ['SELECT 1 -- no; end'], ''],
    ['nested block comments', 'SELECT /* a /* b; */ c; */ 1;', ['SELECT /* a /* b; */ c; */ 1'], ''],
    ['dollar quotes', 'DO $$ BEGIN PERFORM 1; END $$;', ['DO $$ BEGIN PERFORM 1; END $$'], ''],
    ['tagged dollar quotes', 'SELECT $x$ $$; $x$;', ['SELECT $x$ $$; $x$'], ''],
    ['a positional parameter is no dollar quote', 'SELECT $1; SELECT 2;', ['SELECT $1', 'SELECT 2'], ''],
    ['empty statements are dropped', ';; -- nothing\n; SELECT 1;', ['SELECT 1'], ''],
  ];
  for (const [name, text, statements, rest] of cases) {
    test(name, () => {
      assert.deepEqual(splitStatements(text), { statements, rest });
    });
  }
});

describe('hasCode', () => {
  test('whitespace and comments are no code', () => {
    assert.deepEqual(['', '  \n', '-- x', '/* y */ ', 'SELECT', '-- x\nSELECT'].map(hasCode), [
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
