import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketStart, computeBucketRange, type StatsIntervalName } from './stats';

const t = (iso: string) => Date.parse(iso);

describe('bucketStart: a block belongs to the UTC hour and the UTC day its timestamp falls in', () => {
  const cases: [string, StatsIntervalName, string, string][] = [
    ['exactly on the hour', 'HOUR', '2026-12-01T21:00:00.000Z', '2026-12-01T21:00:00.000Z'],
    ['one millisecond after the hour', 'HOUR', '2026-12-01T21:00:00.001Z', '2026-12-01T21:00:00.000Z'],
    ['last millisecond of the hour', 'HOUR', '2026-12-01T21:59:59.999Z', '2026-12-01T21:00:00.000Z'],
    ['last second before midnight, hour', 'HOUR', '2026-12-01T23:59:59.000Z', '2026-12-01T23:00:00.000Z'],
    ['midnight, hour', 'HOUR', '2026-12-02T00:00:00.000Z', '2026-12-02T00:00:00.000Z'],
    ['exactly at midnight', 'DAY', '2026-12-02T00:00:00.000Z', '2026-12-02T00:00:00.000Z'],
    ['last second of the day', 'DAY', '2026-12-01T23:59:59.000Z', '2026-12-01T00:00:00.000Z'],
    ['noon', 'DAY', '2026-12-01T12:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['29 February of a leap year', 'DAY', '2028-02-29T13:14:15.000Z', '2028-02-29T00:00:00.000Z'],
    ['new year', 'DAY', '2027-01-01T00:00:00.500Z', '2027-01-01T00:00:00.000Z'],
    ['the unix epoch', 'HOUR', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'],
    [
      'before the unix epoch (rounds down, not towards zero)',
      'HOUR',
      '1969-12-31T23:30:00.000Z',
      '1969-12-31T23:00:00.000Z',
    ],
    ['before the unix epoch, day', 'DAY', '1969-12-31T23:30:00.000Z', '1969-12-31T00:00:00.000Z'],
  ];
  for (const [name, interval, at, expected] of cases) {
    it(`${interval} ${name}`, () => assert.equal(new Date(bucketStart(interval, t(at))).toISOString(), expected));
  }

  it('ignores the local time zone (UTC buckets even where the process runs at +05:45)', () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Kathmandu';
      assert.equal(new Date(bucketStart('DAY', t('2026-12-01T20:00:00Z'))).toISOString(), '2026-12-01T00:00:00.000Z');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe('computeBucketRange: buckets overlapping [from, to)', () => {
  const cases: [string, StatsIntervalName, string, string, { first: string; count: number; end: string }][] = [
    [
      'one exact hour',
      'HOUR',
      '2026-12-01T10:00:00Z',
      '2026-12-01T11:00:00Z',
      { first: '2026-12-01T10:00:00.000Z', count: 1, end: '2026-12-01T11:00:00.000Z' },
    ],
    [
      'from inside an hour includes that whole hour',
      'HOUR',
      '2026-12-01T10:30:00Z',
      '2026-12-01T11:00:00Z',
      { first: '2026-12-01T10:00:00.000Z', count: 1, end: '2026-12-01T11:00:00.000Z' },
    ],
    [
      'to one millisecond into the next hour includes it',
      'HOUR',
      '2026-12-01T10:00:00Z',
      '2026-12-01T11:00:00.001Z',
      { first: '2026-12-01T10:00:00.000Z', count: 2, end: '2026-12-01T12:00:00.000Z' },
    ],
    [
      'a one-millisecond range',
      'HOUR',
      '2026-12-01T10:59:59.999Z',
      '2026-12-01T11:00:00Z',
      { first: '2026-12-01T10:00:00.000Z', count: 1, end: '2026-12-01T11:00:00.000Z' },
    ],
    [
      'a day of hours',
      'HOUR',
      '2026-12-01T00:00:00Z',
      '2026-12-02T00:00:00Z',
      { first: '2026-12-01T00:00:00.000Z', count: 24, end: '2026-12-02T00:00:00.000Z' },
    ],
    [
      'days across a month end',
      'DAY',
      '2026-11-29T18:00:00Z',
      '2026-12-02T06:00:00Z',
      { first: '2026-11-29T00:00:00.000Z', count: 4, end: '2026-12-03T00:00:00.000Z' },
    ],
  ];
  for (const [name, interval, from, to, expected] of cases) {
    it(name, () => {
      const r = computeBucketRange(interval, t(from), t(to));
      assert.deepEqual(
        { first: new Date(r.first).toISOString(), count: r.count, end: new Date(r.end).toISOString() },
        expected,
      );
    });
  }

  it('refuses an empty or reversed range', () => {
    assert.throws(() => computeBucketRange('HOUR', 5, 5), RangeError);
    assert.throws(() => computeBucketRange('DAY', 6, 5), RangeError);
  });
});
