import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeReputation, impactBps } from './reputation';

const OPEN = 10n ** 18n;

/** Smallest earned (wei) whose impact is at least k, by bisection on the exact definition. */
function threshold(k: number): bigint {
  // impact >= k  <=>  (1e18 + earned)^2500 >= 10^(k + 45000)
  const target = 10n ** BigInt(k + 45_000);
  let lo = 0n;
  let hi = 10_000n * OPEN;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if ((OPEN + mid) ** 2500n >= target) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

describe('impactBps = min(10000, floor(2500 * log10(1 + earned/1e18)))', () => {
  const cases: [string, bigint, number][] = [
    ['nothing earned', 0n, 0],
    ['1 wei', 1n, 0],
    ['1 OPEN: 2500*log10(2) = 752.57', OPEN, 752],
    ['9 OPEN: log10(10) = 1 exactly', 9n * OPEN, 2500],
    ['9 OPEN - 1 wei: just below 2500', 9n * OPEN - 1n, 2499],
    ['99 OPEN: exactly 5000', 99n * OPEN, 5000],
    ['999 OPEN: exactly 7500', 999n * OPEN, 7500],
    ['9,999 OPEN: saturates at 10000', 9_999n * OPEN, 10_000],
    ['9,999 OPEN - 1 wei: 9999', 9_999n * OPEN - 1n, 9_999],
    ['far above saturation', 10n ** 30n, 10_000],
  ];
  for (const [name, earned, expected] of cases) {
    it(name, () => assert.equal(impactBps(earned), expected));
  }

  it('is exact at the first wei of every tested k (bisection on x^2500 vs 10^(k+45000))', () => {
    for (const k of [1, 2, 3, 100, 752, 753, 1234, 2501, 4999, 6000, 8765, 9998]) {
      const t = threshold(k);
      assert.equal(impactBps(t), k, `impact at the threshold of ${k} (${t} wei)`);
      assert.equal(impactBps(t - 1n), k - 1, `impact one wei below the threshold of ${k}`);
    }
  });
});

describe('computeReputation', () => {
  const none = { accepted: 0, rejected: 0, duplicates: 0, slashes: 0, acceptedQualitySum: 0n, earned: 0n };
  const cases: [
    string,
    typeof none,
    { acceptanceBps: number; qualityBps: number; impactBps: number; score: number },
  ][] = [
    // acceptance 10000*1/2 = 5000; base = 4*5000/10 = 2000; score 2000/10 = 200
    ['a fresh contributor', none, { acceptanceBps: 5000, qualityBps: 0, impactBps: 0, score: 200 }],
    // acceptance 10000*3/5 = 6000; quality 17000/2 = 8500; base (24000+25500)/10 = 4950; score 495
    [
      'two accepted, one rejected',
      { ...none, accepted: 2, rejected: 1, acceptedQualitySum: 17_000n },
      { acceptanceBps: 6000, qualityBps: 8500, impactBps: 0, score: 495 },
    ],
    // quality 22000/3 = 7333 (integer division); acceptance 40000/5 = 8000; base (32000+21999)/10 = 5399
    [
      'quality is an integer mean',
      { ...none, accepted: 3, acceptedQualitySum: 22_000n },
      { acceptanceBps: 8000, qualityBps: 7333, impactBps: 0, score: 539 },
    ],
    // duplicates count against acceptance: 10000/3 = 3333; base 1333; score 133
    ['a duplicate', { ...none, duplicates: 1 }, { acceptanceBps: 3333, qualityBps: 0, impactBps: 0, score: 133 }],
    // slashed twice: 1333 / (10*4) = 33
    [
      'a duplicate, slashed twice',
      { ...none, duplicates: 1, slashes: 2 },
      { acceptanceBps: 3333, qualityBps: 0, impactBps: 0, score: 33 },
    ],
    // many slashes: the divisor outgrows any base
    ['slashed 80 times', { ...none, slashes: 80 }, { acceptanceBps: 5000, qualityBps: 0, impactBps: 0, score: 0 }],
    // perfect: acceptance 10000*1001/1002 = 9990; quality 10000; impact 10000; base (39960+30000+30000)/10 = 9996
    [
      'the best possible',
      { ...none, accepted: 1000, acceptedQualitySum: 10_000_000n, earned: 10n ** 23n },
      { acceptanceBps: 9990, qualityBps: 10_000, impactBps: 10_000, score: 999 },
    ],
    // 9 OPEN earned: impact 2500; acceptance 10000*2/3 = 6666; quality 9000; base (26664+27000+7500)/10 = 6116
    [
      'with earnings',
      { ...none, accepted: 1, acceptedQualitySum: 9_000n, earned: 9n * OPEN },
      { acceptanceBps: 6666, qualityBps: 9000, impactBps: 2500, score: 611 },
    ],
  ];
  for (const [name, inputs, expected] of cases) {
    it(name, () => assert.deepEqual(computeReputation(inputs), expected));
  }
});
