import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatError, formatResult, formatRowCount, type ResultTable } from './table';

const INT4 = 23;
const NUMERIC = 1700;
const TEXT = 25;
const BOOL = 16;

const select = (fields: [string, number][], rows: unknown[][]): ResultTable => ({
  command: 'SELECT',
  rowCount: rows.length,
  fields: fields.map(([name, dataTypeID]) => ({ name, dataTypeID })),
  rows,
});

describe('formatResult', () => {
  test('aligns columns: header centred, numbers right, text left, a rule, the row count', () => {
    const out = formatResult(
      select(
        [
          ['datanet_id', NUMERIC],
          ['name', TEXT],
          ['n', INT4],
        ],
        [
          ['7', 'Medical imaging', '12'],
          ['123456789012345678901234567890', 'Code', '3'],
        ],
      ),
    );
    assert.equal(
      out,
      [
        '           datanet_id           |      name       | n',
        '--------------------------------+-----------------+----',
        '                              7 | Medical imaging | 12',
        ' 123456789012345678901234567890 | Code            |  3',
        '(2 rows)',
      ].join('\n'),
    );
  });

  test('NULL is an empty cell; booleans and other values print as Postgres sent them', () => {
    const out = formatResult(
      select(
        [
          ['closed', BOOL],
          ['root', TEXT],
        ],
        [
          ['t', null],
          ['f', '0xab'],
        ],
      ),
    );
    assert.equal(out, [' closed | root', '--------+------', ' t      |', ' f      | 0xab', '(2 rows)'].join('\n'));
  });

  test('a value with newlines spans lines; the other cells of its row are padded', () => {
    const out = formatResult(
      select(
        [
          ['a', TEXT],
          ['b', INT4],
        ],
        [['one\ntwo lines', '5']],
      ),
    );
    assert.equal(out, ['     a     | b', '-----------+---', ' one       | 5', ' two lines |', '(1 row)'].join('\n'));
  });

  test('no rows: the header, the rule and (0 rows); duplicate column names stay apart', () => {
    const out = formatResult(
      select(
        [
          ['?column?', INT4],
          ['?column?', INT4],
        ],
        [],
      ),
    );
    assert.equal(out, [' ?column? | ?column?', '----------+----------', '(0 rows)'].join('\n'));
  });

  test('a statement without a result set prints its command tag, with the row count where psql shows one', () => {
    assert.equal(formatResult({ command: 'SET', rowCount: null, fields: [], rows: [] }), 'SET');
    assert.equal(formatResult({ command: 'BEGIN', rowCount: null, fields: [], rows: [] }), 'BEGIN');
    assert.equal(formatResult({ command: 'UPDATE', rowCount: 3, fields: [], rows: [] }), 'UPDATE 3');
    assert.equal(formatResult({ command: 'INSERT', rowCount: 1, fields: [], rows: [] }), 'INSERT 0 1');
  });

  test('formatRowCount: singular and plural', () => {
    assert.deepEqual([0, 1, 2].map(formatRowCount), ['(0 rows)', '(1 row)', '(2 rows)']);
  });
});

describe('formatError', () => {
  test('ERROR, the line of the position with a caret under it, DETAIL and HINT', () => {
    const statement = 'SELECT datanet_id,\n       nope\n  FROM datanets';
    const out = formatError(
      {
        severity: 'ERROR',
        message: 'column "nope" does not exist',
        position: String(statement.indexOf('nope') + 1),
        hint: 'Perhaps you meant "name".',
      },
      statement,
    );
    assert.equal(
      out,
      [
        'ERROR:  column "nope" does not exist',
        'LINE 2:        nope',
        '               ^',
        'HINT:  Perhaps you meant "name".',
      ].join('\n'),
    );
  });

  test('without a position: the message and the detail', () => {
    assert.equal(
      formatError({ message: 'permission denied for table contribution', detail: 'd' }),
      'ERROR:  permission denied for table contribution\nDETAIL:  d',
    );
  });
});
