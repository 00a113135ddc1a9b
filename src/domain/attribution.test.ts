import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeAttributionPayouts,
  computeFeeShares,
  validateAttribution,
  validateFeeSplit,
  type AttributedContribution,
} from './attribution';

const SPLIT = { protocolBps: 1000, modelOwnerBps: 2000, datanetOwnerBps: 1500, contributorsBps: 5500 };
const owners: Record<string, string> = { '1': '0xowner1', '2': '0xowner2' };
const acc = (
  status: AttributedContribution['status'],
  datanetId = '1',
  contributor = '0xc',
): AttributedContribution => ({
  status,
  datanetId,
  contributor,
});

describe('computeFeeShares', () => {
  const cases: [string, bigint, typeof SPLIT | null, [bigint, bigint, bigint, bigint]][] = [
    ['splits by bps with integer division', 1_000_003n, SPLIT, [100_000n, 200_000n, 150_000n, 550_001n]],
    ['gives everything to the protocol without a split', 777n, null, [777n, 0n, 0n, 0n]],
    ['rounds every share down', 9n, SPLIT, [0n, 1n, 1n, 4n]],
    [
      'handles fees beyond 2^64',
      2n ** 70n,
      SPLIT,
      [
        (2n ** 70n * 1000n) / 10000n,
        (2n ** 70n * 2000n) / 10000n,
        (2n ** 70n * 1500n) / 10000n,
        (2n ** 70n * 5500n) / 10000n,
      ],
    ],
  ];
  for (const [name, fee, split, [p, m, d, c]] of cases) {
    it(name, () => {
      assert.deepEqual(computeFeeShares(fee, split), { protocol: p, modelOwner: m, datanetOwners: d, contributors: c });
    });
  }
});

describe('computeAttributionPayouts', () => {
  // fee 1,000,003 under SPLIT: C = 550,001, D = 150,000.
  const shares = computeFeeShares(1_000_003n, SPLIT);

  it('pays eligible contributors C*w/1e6 and Datanet owners D*Wn/1e6, skipping rejected ones', () => {
    const out = computeAttributionPayouts({
      shares,
      items: [
        { weightPpm: 500_000, contribution: acc('ACCEPTED', '1', '0xa') },
        { weightPpm: 300_000, contribution: acc('ACCEPTED', '2', '0xb') },
        { weightPpm: 200_000, contribution: acc('REJECTED', '1', '0xc') },
      ],
      datanetOwner: (id) => owners[id],
    });
    // 550,001 * 0.5 = 275,000.5 -> 275,000; 550,001 * 0.3 = 165,000.3 -> 165,000
    assert.deepEqual(
      out.items.map((i) => [i.eligible, i.amount]),
      [
        [true, 275_000n],
        [true, 165_000n],
        [false, 0n],
      ],
    );
    // Datanet 1: W = 500,000 -> 75,000; Datanet 2: W = 300,000 -> 45,000
    assert.deepEqual(out.datanetShares, [
      { datanetId: '1', owner: '0xowner1', weightPpm: 500_000, amount: 75_000n },
      { datanetId: '2', owner: '0xowner2', weightPpm: 300_000, amount: 45_000n },
    ]);
    assert.equal(out.contributorsTotal, 440_000n);
    assert.equal(out.datanetOwnersTotal, 120_000n);
    assert.equal(out.eligibleCount, 2);
  });

  it('treats pending and unknown contributions as ineligible', () => {
    const out = computeAttributionPayouts({
      shares,
      items: [
        { weightPpm: 600_000, contribution: acc('PENDING') },
        { weightPpm: 400_000, contribution: null },
      ],
      datanetOwner: (id) => owners[id],
    });
    assert.equal(out.contributorsTotal, 0n);
    assert.equal(out.datanetOwnersTotal, 0n);
    assert.deepEqual(out.datanetShares, []);
    assert.equal(out.eligibleCount, 0);
  });

  it('sums the weights of one Datanet before dividing (one rounding per Datanet)', () => {
    const tiny = computeFeeShares(7n, {
      protocolBps: 0,
      modelOwnerBps: 0,
      datanetOwnerBps: 10_000,
      contributorsBps: 0,
    });
    const out = computeAttributionPayouts({
      shares: tiny,
      items: [
        { weightPpm: 500_000, contribution: acc('ACCEPTED', '1') },
        { weightPpm: 500_000, contribution: acc('ACCEPTED', '1') },
      ],
      datanetOwner: (id) => owners[id],
    });
    // 7 * 1e6 / 1e6 = 7 (per-item division would give 3 + 3 = 6)
    assert.equal(out.datanetShares[0].amount, 7n);
  });
});

describe('validateAttribution', () => {
  const cases: [string, bigint[], number[], string | null][] = [
    ['accepts distinct ids summing to 1e6', [1n, 2n], [400_000, 600_000], null],
    ['rejects weights not summing to 1e6', [1n, 2n], [400_000, 500_000], 'weights sum to 900000 ppm, not 1000000'],
    ['rejects repeated ids', [1n, 1n], [500_000, 500_000], 'contribution ids are not distinct'],
    ['rejects length mismatch', [1n], [500_000, 500_000], '1 contribution ids but 2 weights'],
  ];
  for (const [name, ids, w, expected] of cases) it(name, () => assert.equal(validateAttribution(ids, w), expected));
});

describe('validateFeeSplit', () => {
  it('accepts a split summing to 10000 and names the sum otherwise', () => {
    assert.equal(validateFeeSplit(SPLIT), null);
    assert.equal(validateFeeSplit({ ...SPLIT, protocolBps: 999 }), 'fee split sums to 9999 bps, not 10000');
  });
});
