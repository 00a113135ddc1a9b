import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrayLiteral, copyField } from './copyText';

describe('COPY text', () => {
  it('formats COPY text fields', () => {
    assert.equal(copyField(null), '\\N');
    assert.equal(copyField(undefined), '\\N');
    assert.equal(copyField('\\N'), '\\\\N');
    assert.equal(copyField('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
    assert.equal(copyField(true), 't');
    assert.equal(copyField(false), 'f');
    assert.equal(copyField(-(2n ** 80n)), '-1208925819614629174706176');
    assert.equal(copyField(-5), '-5');
    assert.equal(copyField(new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7))), '2024-02-29T23:59:58.007Z');
    assert.equal(arrayLiteral([]), '{}');
    assert.equal(arrayLiteral(['', 'a,b', 'q"', 'b\\', null]), '{"","a,b","q\\"","b\\\\",NULL}');
    // The array literal's own backslashes are escaped again for COPY.
    assert.equal(copyField(['b\\', 't\t']), '{"b\\\\\\\\","t\\t"}');
    assert.throws(() => copyField({}), /cannot write/);
  });
});
