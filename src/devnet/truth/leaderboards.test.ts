import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { payoutsAsOf, reputationScoreAsOf } from './asOf';
import { computeLeaderboards, rankEntries } from './leaderboards';
import { createTruthModel } from './model';
import { computeGroundTruth } from './snapshot';

const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const H = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe('ground truth ranking rule', () => {
  const cases: {
    name: string;
    entries: [string, bigint][];
    numeric?: boolean;
    expected: [string, number, number][];
  }[] = [
    {
      name: 'largest value first, competition ranks',
      entries: [
        ['0x01', 5n],
        ['0x02', 9n],
        ['0x03', 7n],
      ],
      expected: [
        ['0x02', 1, 1],
        ['0x03', 2, 2],
        ['0x01', 3, 3],
      ],
    },
    {
      name: 'ties share a rank, the next rank skips, the larger address first',
      entries: [
        ['0x0a', 7n],
        ['0x0c', 7n],
        ['0x0b', 9n],
        ['0x0d', 1n],
      ],
      expected: [
        ['0x0b', 1, 1],
        ['0x0c', 2, 2],
        ['0x0a', 2, 3],
        ['0x0d', 4, 4],
      ],
    },
    {
      name: 'numeric ids compare as numbers (10 > 9)',
      numeric: true,
      entries: [
        ['9', 3n],
        ['10', 3n],
        ['2', 3n],
      ],
      expected: [
        ['10', 1, 1],
        ['9', 1, 2],
        ['2', 1, 3],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ranked = rankEntries(
        c.entries.map(([id, value]) => ({ id, value })),
        c.numeric,
      );
      assert.deepEqual(
        ranked.map((r) => [r.id, r.rank, r.position]),
        c.expected,
      );
    });
  }
});

describe('ground truth of leaderboards and time travel from the model', () => {
  // OWNER owns Datanets 1 and 2; ALICE and BOB contribute to 1, ALICE also to 2. One inference in block
  // 10 (epoch 1), the epoch closes in block 20, ALICE claims in block 30, a second inference in block 40.
  const OWNER = addr(0xa1);
  const ALICE = addr(0xb2);
  const BOB = addr(0xc3);
  const VAL = addr(0xd4);
  const MODEL_OWNER = addr(0xe5);
  const m = createTruthModel({ chainId: 901, scenario: 'unit', seed: 1 });
  m.beginTx(1);
  const d1 = m.datanetCreated(OWNER);
  const d2 = m.datanetCreated(OWNER);
  m.validatorSet(d1, OWNER, VAL, true);
  m.validatorSet(d2, OWNER, VAL, true);
  m.beginTx(2);
  const a1 = m.contributionSubmitted(d1, ALICE, H(1), 1n);
  const b1 = m.contributionSubmitted(d1, BOB, H(2), 1n);
  const a2 = m.contributionSubmitted(d2, ALICE, H(3), 1n);
  for (const c of [a1, b1, a2]) m.contributionReviewed(c, VAL, true, 8000);
  const model = m.modelRegistered(MODEL_OWNER, [d1, d2]);
  m.feeSplitSet({ protocolBps: 1000, modelOwnerBps: 2000, datanetOwnerBps: 2000, contributorsBps: 5000 });
  const settle = (id: number, fee: bigint) =>
    m.inferenceSettled({
      inferenceId: H(id),
      modelId: model,
      payer: addr(0xf6),
      fee,
      contributionIds: [a1, b1, a2],
      weightsPpm: [500_000, 250_000, 250_000],
    });
  m.beginTx(10);
  settle(100, 1_000_000n);
  m.beginTx(20);
  const tree = m.currentEpochTree();
  m.epochClosed(tree.root, tree.total);
  m.beginTx(30);
  m.rewardClaimed(1n, ALICE, tree.amounts.get(ALICE)!);
  m.beginTx(40);
  settle(101, 2_000_000n);
  m.headBlock = 40;
  const truth = computeGroundTruth(m);

  it('records CONTRIBUTOR earnings per Datanet and the block each epoch closed', () => {
    // C = 500,000 per 1,000,000 of fee: ALICE 250,000 + 125,000, BOB 125,000 (then x3 over both fees).
    assert.deepEqual(truth.datanets[String(d1)].contributorEarnings, { [ALICE]: '750000', [BOB]: '375000' });
    assert.deepEqual(truth.datanets[String(d2)].contributorEarnings, { [ALICE]: '375000' });
    assert.equal(truth.datanets[String(d1)].earnedTotal, String(750_000 + 375_000 + 3 * 150_000));
    assert.equal(truth.epochs['1'].closedAtBlock, 20);
    assert.equal(truth.epochs['2'].closedAtBlock, null);
  });

  it('keeps a per-block payout history and answers as of any block', () => {
    assert.deepEqual(truth.payoutHistory![ALICE], [
      { block: 10, epoch: '1', CONTRIBUTOR: '375000' },
      { block: 30, epoch: '1', claimed: '375000' },
      { block: 40, epoch: '2', CONTRIBUTOR: '750000' },
    ]);
    const at = (block: number) => payoutsAsOf(truth, ALICE, block);
    assert.equal(at(9).earnedTotal, '0');
    assert.deepEqual(at(9).epochs, {});
    assert.deepEqual([at(10).claimable, at(10).pending], ['0', '375000']);
    assert.deepEqual([at(20).claimable, at(20).pending], ['375000', '0']);
    assert.deepEqual([at(30).claimable, at(30).claimed], ['0', '375000']);
    assert.deepEqual([at(40).earnedTotal, at(40).pending], ['1125000', '750000']);
    assert.equal(at(40).epochs['1'].closed, true);
    assert.equal(at(19).epochs['1'].closed, false);
    // OWNER: D = 200,000 of the first fee, split by eligible weight (750,000 ppm on 1, 250,000 on 2).
    assert.equal(payoutsAsOf(truth, OWNER, 10).earnedAsDatanetOwner, '200000');
    assert.equal(payoutsAsOf(truth, MODEL_OWNER, 40).earnedAsModelOwner, '600000');
  });

  it('ranks boards from the truth', () => {
    const boards = computeLeaderboards(truth);
    assert.deepEqual(
      boards.contributorsByDatanetEarnings[String(d1)].map((r) => [r.id, r.value, r.rank]),
      [
        [ALICE, '750000', 1],
        [BOB, '375000', 2],
      ],
    );
    assert.deepEqual(
      boards.modelsByInferences.map((r) => [r.id, r.value, r.rank]),
      [[String(model), '2', 1]],
    );
    // Both contributors have a reputation; the board's value is the score the history ends at.
    const rep = boards.contributorsByReputation;
    assert.equal(rep.length, 2);
    assert.equal(reputationScoreAsOf(truth, ALICE, 1), null);
    assert.equal(String(reputationScoreAsOf(truth, ALICE, 40)), rep.find((r) => r.id === ALICE)!.value);
  });
});
