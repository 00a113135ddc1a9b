import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeReputation,
  IMPACT_SATURATION,
  impactBps,
  impactBpsReference,
  type ReputationInputs,
} from './reputation';

const OPEN = 10n ** 18n;

/** The naive float formula the exact one replaces. */
const naiveImpact = (earned: bigint) => Math.min(10_000, Math.floor(2500 * Math.log10(1 + Number(earned) / 1e18)));

/**
 * The smallest earned (wei) with impactBps >= k: the smallest y with y^2500 >= 10^(k + 45000),
 * minus 1e18. Binary search on y around the float estimate, bigints only.
 */
function threshold(k: number): bigint {
  const target = 10n ** BigInt(k + 45_000);
  const reaches = (y: bigint) => y ** 2500n >= target;
  const guess = BigInt(Math.round(1e18 * 10 ** (k / 2500)));
  let lo = guess - (1n << 26n); // !reaches(lo)
  let hi = guess + (1n << 26n); // reaches(hi)
  assert.ok(!reaches(lo) && reaches(hi), `search window for k=${k}`);
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi - OPEN;
}

describe('impactBps (exact floor(2500*log10(1 + earned/1e18)), capped at 10,000)', () => {
  const table: [string, bigint, number][] = [
    ['nothing earned', 0n, 0],
    ['1 wei', 1n, 0],
    ['1 OPEN: 2500*log10(2) = 752.57', OPEN, 752],
    ['9 OPEN - 1 wei', 9n * OPEN - 1n, 2499],
    ['9 OPEN: log10(10) = 1', 9n * OPEN, 2500],
    ['99 OPEN - 1 wei', 99n * OPEN - 1n, 4999],
    ['99 OPEN: log10(100) = 2', 99n * OPEN, 5000],
    ['999 OPEN - 1 wei', 999n * OPEN - 1n, 7499],
    ['999 OPEN: log10(1000) = 3 (the float gives 2.9999999999999996)', 999n * OPEN, 7500],
    ['9,999 OPEN - 1 wei: just below saturation', IMPACT_SATURATION - 1n, 9999],
    ['9,999 OPEN: log10(10,000) = 4 saturates', IMPACT_SATURATION, 10_000],
    ['10,000 OPEN - 1 wei (log10(10,000.99…) > 4)', 10_000n * OPEN - 1n, 10_000],
    ['10,000 OPEN', 10_000n * OPEN, 10_000],
    ['far above saturation', 10n ** 40n, 10_000],
  ];
  for (const [what, earned, expected] of table) {
    it(`${what} -> ${expected}`, () => {
      assert.equal(impactBps(earned), expected);
      assert.equal(impactBpsReference(earned), expected);
    });
  }

  for (const k of [1, 2, 1234, 2501, 4999, 6021, 7777, 9999]) {
    it(`switches from ${k - 1} to ${k} at exactly the right wei`, () => {
      const t = threshold(k);
      assert.equal(impactBps(t), k);
      assert.equal(impactBps(t - 1n), k - 1);
      assert.equal(impactBpsReference(t), k);
      assert.equal(impactBpsReference(t - 1n), k - 1);
      // A double cannot tell the two apart: the float formula is wrong for one of them.
      assert.ok(naiveImpact(t) !== k || naiveImpact(t - 1n) !== k - 1, 'naive float happens to be right');
    });
  }

  it('agrees with the bigint-only reference on values of every magnitude', () => {
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 40; i++) {
      const digits = 1 + Math.floor(rand() * 23);
      const earned = BigInt(Math.floor(rand() * 10 ** Math.min(digits, 15))) * 10n ** BigInt(Math.max(0, digits - 15));
      assert.equal(impactBps(earned), impactBpsReference(earned), `earned ${earned}`);
    }
  });

  it('refuses a negative amount', () => {
    assert.throws(() => impactBps(-1n), RangeError);
  });
});

describe('computeReputation (PROTOCOL.md section 5, worked by hand)', () => {
  const none: ReputationInputs = {
    accepted: 0,
    rejected: 0,
    duplicates: 0,
    slashes: 0,
    earned: 0n,
    acceptedQualitySum: 0,
  };
  const table: [
    string,
    Partial<ReputationInputs>,
    { acceptanceBps: number; qualityBps: number; impactBps: number; score: number },
  ][] = [
    // acceptance 10000*1/2 = 5000; base 4*5000/10 = 2000; score 2000/10 = 200
    ['a fresh contributor (pending only)', {}, { acceptanceBps: 5000, qualityBps: 0, impactBps: 0, score: 200 }],
    // acceptance 10000/3 = 3333; base 13332/10 = 1333; score 133
    ['one duplicate', { duplicates: 1 }, { acceptanceBps: 3333, qualityBps: 0, impactBps: 0, score: 133 }],
    // acceptance 10000/7 = 1428; base 5712/10 = 571; score 57
    ['five rejected', { rejected: 5 }, { acceptanceBps: 1428, qualityBps: 0, impactBps: 0, score: 57 }],
    // acceptance 40000/7 = 5714; quality 24001/3 = 8000; impact 2500;
    // base (22856 + 24000 + 7500)/10 = 5435; score 543
    [
      '3 accepted, 1 rejected, 1 duplicate, 9 OPEN',
      { accepted: 3, rejected: 1, duplicates: 1, acceptedQualitySum: 24_001, earned: 9n * OPEN },
      { acceptanceBps: 5714, qualityBps: 8000, impactBps: 2500, score: 543 },
    ],
    [
      'the same, slashed once (5435/20)',
      { accepted: 3, rejected: 1, duplicates: 1, acceptedQualitySum: 24_001, earned: 9n * OPEN, slashes: 1 },
      { acceptanceBps: 5714, qualityBps: 8000, impactBps: 2500, score: 271 },
    ],
    [
      'the same, slashed twice (5435/40)',
      { accepted: 3, rejected: 1, duplicates: 1, acceptedQualitySum: 24_001, earned: 9n * OPEN, slashes: 2 },
      { acceptanceBps: 5714, qualityBps: 8000, impactBps: 2500, score: 135 },
    ],
    // acceptance 110000/12 = 9166; base (36664 + 30000 + 30000)/10 = 9666; score 966
    [
      'ten perfect contributions and saturated impact',
      { accepted: 10, acceptedQualitySum: 100_000, earned: 10n ** 23n },
      { acceptanceBps: 9166, qualityBps: 10_000, impactBps: 10_000, score: 966 },
    ],
    [
      'slashed beyond any score',
      { accepted: 10, acceptedQualitySum: 100_000, earned: 10n ** 23n, slashes: 2000 },
      { acceptanceBps: 9166, qualityBps: 10_000, impactBps: 10_000, score: 0 },
    ],
  ];
  for (const [what, inputs, expected] of table) {
    it(what, () => assert.deepEqual(computeReputation({ ...none, ...inputs }), expected));
  }
});
