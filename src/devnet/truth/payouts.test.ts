import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTruthModel, type TruthModel } from './model';
import { computeGroundTruth } from './snapshot';

const OWNER = '0x00000000000000000000000000000000000000a1';
const ALICE = '0x00000000000000000000000000000000000000b2';
const BOB = '0x00000000000000000000000000000000000000c3';
const VAL = '0x00000000000000000000000000000000000000d4';
const MODEL_OWNER = '0x00000000000000000000000000000000000000e5';
const PAYER = '0x00000000000000000000000000000000000000f6';
const STRANGER = '0x00000000000000000000000000000000000000f7';
const H = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const SPLIT = { protocolBps: 1000, modelOwnerBps: 2000, datanetOwnerBps: 1500, contributorsBps: 5500 };
const OPEN = 10n ** 18n;

/**
 * OWNER owns Datanet 1 and contributes to it (two roles); ALICE contributes, BOB only submits.
 * Inference fee 1,000,000 with ALICE 600,000 ppm and OWNER 400,000 ppm, both accepted:
 * C = 550,000 -> ALICE 330,000, OWNER 220,000; D = 150,000 -> OWNER; M = 200,000 -> MODEL_OWNER.
 */
function setup() {
  const m = createTruthModel({ chainId: 901, scenario: 'unit', seed: 1 });
  const dn = m.datanetCreated(OWNER);
  m.validatorSet(dn, OWNER, VAL, true);
  const a = m.contributionSubmitted(dn, ALICE, H(1), 10n);
  const o = m.contributionSubmitted(dn, OWNER, H(2), 10n);
  m.contributionSubmitted(dn, BOB, H(3), 10n);
  m.contributionReviewed(a, VAL, true, 9000);
  m.contributionReviewed(o, VAL, true, 8000);
  const model = m.modelRegistered(MODEL_OWNER, [dn]);
  m.feeSplitSet(SPLIT);
  let n = 0;
  const settle = (fee = 1_000_000n) =>
    m.inferenceSettled({
      inferenceId: H(1000 + ++n),
      modelId: model,
      payer: PAYER,
      fee,
      contributionIds: [a, o],
      weightsPpm: [600_000, 400_000],
    });
  return { m, dn, model, settle };
}

const close = (m: TruthModel) => {
  const tree = m.currentEpochTree();
  return m.epochClosed(tree.root, tree.total);
};
const closeWrong = (m: TruthModel) => m.epochClosed(`0x${'ab'.repeat(32)}`, 1n);

describe('claimable and pending rewards (PROTOCOL.md section 4)', () => {
  // Per step: [claimable, pendingRewards] of ALICE, OWNER, MODEL_OWNER afterwards.
  type Row = [string, (s: ReturnType<typeof setup>) => void, Record<string, [string, string]>];
  const steps: Row[] = [
    [
      'an inference in open epoch 1: all pending',
      ({ settle }) => settle(),
      { [ALICE]: ['0', '330000'], [OWNER]: ['0', '370000'], [MODEL_OWNER]: ['0', '200000'] },
    ],
    [
      'epoch 1 closed: all claimable',
      ({ m }) => close(m),
      { [ALICE]: ['330000', '0'], [OWNER]: ['370000', '0'], [MODEL_OWNER]: ['200000', '0'] },
    ],
    [
      'ALICE claims epoch 1; an inference in epoch 2',
      ({ m, settle }) => {
        m.rewardClaimed(1n, ALICE, 330_000n);
        settle();
      },
      { [ALICE]: ['0', '330000'], [OWNER]: ['370000', '370000'], [MODEL_OWNER]: ['200000', '200000'] },
    ],
    [
      'epoch 2 closed with a wrong root: it counts as claimable, nobody can claim it',
      ({ m }) => closeWrong(m),
      { [ALICE]: ['330000', '0'], [OWNER]: ['740000', '0'], [MODEL_OWNER]: ['400000', '0'] },
    ],
    [
      'OWNER claims epoch 1; epoch 3 gets a zero-fee and a dust inference',
      ({ m, settle }) => {
        m.rewardClaimed(1n, OWNER, 370_000n);
        settle(0n);
        settle(3n); // M = 0, D = 0, C = 1: ALICE 0 (0.6 floors), OWNER 0: everything to the protocol
      },
      { [ALICE]: ['330000', '0'], [OWNER]: ['370000', '0'], [MODEL_OWNER]: ['400000', '0'] },
    ],
  ];

  it('follows every step', () => {
    const s = setup();
    for (const [what, step, expected] of steps) {
      step(s);
      const gt = computeGroundTruth(s.m);
      for (const [account, [claimable, pending]] of Object.entries(expected)) {
        assert.deepEqual(
          [gt.accounts[account].claimable, gt.accounts[account].pendingRewards],
          [claimable, pending],
          `${what}: ${account}`,
        );
      }
      // Nobody else has anything; BOB (never paid) and the payer have zeros.
      assert.equal(gt.accounts[BOB].claimable, '0');
      assert.equal(gt.accounts[PAYER].pendingRewards, '0');
    }
  });

  it('breaks every epoch down by account and role, Datanet, model and claimant', () => {
    const s = setup();
    s.settle();
    close(s.m);
    s.m.rewardClaimed(1n, ALICE, 330_000n);
    s.settle();
    closeWrong(s.m);
    s.settle(0n);
    s.settle(3n);
    const gt = computeGroundTruth(s.m);
    const e1 = gt.epochs['1'];
    assert.equal(e1.earningAccounts, 3);
    assert.deepEqual(e1.roles, {
      [ALICE]: { CONTRIBUTOR: '330000' },
      [OWNER]: { CONTRIBUTOR: '220000', DATANET_OWNER: '150000' },
      [MODEL_OWNER]: { MODEL_OWNER: '200000' },
    });
    assert.deepEqual(e1.claimedBy, { [ALICE]: '330000' });
    assert.deepEqual(e1.datanets, { '1': { contributorsEarned: '550000', ownerEarned: '150000' } });
    assert.deepEqual(e1.models, {
      '1': {
        inferences: 1,
        fees: '1000000',
        ownerEarned: '200000',
        contributorsEarned: '550000',
        datanetOwnersEarned: '150000',
        protocolEarned: '100000',
      },
    });
    const e2 = gt.epochs['2'];
    assert.notEqual(e2.postedRoot, e2.expectedRoot);
    assert.deepEqual(e2.claimedBy, {});
    assert.equal(e2.earningAccounts, 3);
    // Epoch 3: two inferences but no positive payment: no roles, no Datanet, the model still listed.
    const e3 = gt.epochs['3'];
    assert.equal(e3.closed, false);
    assert.equal(e3.earningAccounts, 0);
    assert.deepEqual(e3.roles, {});
    assert.deepEqual(e3.datanets, {});
    assert.deepEqual(e3.models, {
      '1': {
        inferences: 2,
        fees: '3',
        ownerEarned: '0',
        contributorsEarned: '0',
        datanetOwnersEarned: '0',
        protocolEarned: '3',
      },
    });
  });

  it('sums the epoch breakdowns back to the all-time figures', () => {
    const s = setup();
    for (let i = 0; i < 3; i++) {
      s.settle(1_000_003n + BigInt(i));
      if (i < 2) close(s.m);
    }
    const gt = computeGroundTruth(s.m);
    const sum = (xs: (string | undefined)[]) => xs.reduce((a, x) => a + BigInt(x ?? '0'), 0n).toString();
    const epochs = Object.values(gt.epochs);
    for (const [account, a] of Object.entries(gt.accounts)) {
      assert.equal(sum(epochs.map((e) => e.roles[account]?.CONTRIBUTOR)), a.earnedAsContributor);
      assert.equal(sum(epochs.map((e) => e.roles[account]?.DATANET_OWNER)), a.earnedAsDatanetOwner);
      assert.equal(sum(epochs.map((e) => e.roles[account]?.MODEL_OWNER)), a.earnedAsModelOwner);
      assert.equal(sum([a.claimable, a.pendingRewards, a.claimed]), a.earnedTotal);
    }
    assert.equal(sum(epochs.map((e) => e.models['1']?.fees)), gt.models['1'].fees);
    assert.equal(sum(epochs.map((e) => e.models['1']?.protocolEarned)), gt.models['1'].protocolEarned);
    assert.equal(sum(epochs.map((e) => e.datanets['1']?.ownerEarned)), gt.datanets['1'].ownerEarned);
  });
});

describe('reputation history (end-of-block scores)', () => {
  it('keeps the first block, then one entry per block whose end score moved', () => {
    const m = createTruthModel({ chainId: 901, scenario: 'unit', seed: 1 });
    m.beginTx(5);
    const dn = m.datanetCreated(OWNER);
    m.beginTx(5);
    m.validatorSet(dn, OWNER, VAL, true);
    m.beginTx(7);
    m.modelRegistered(MODEL_OWNER, [dn]);
    m.beginTx(7);
    m.feeSplitSet(SPLIT);
    m.beginTx(10);
    const c1 = m.contributionSubmitted(dn, ALICE, H(1), 1n); // 200
    m.beginTx(10);
    m.contributionSubmitted(dn, ALICE, H(1), 1n); // duplicate: 10000/3 = 3333 -> 133 (end of block 10)
    m.beginTx(11);
    m.contributionReviewed(c1, VAL, true, 9000); // acc 20000/4 = 5000, q 9000: (20000+27000)/10 = 4700 -> 470
    m.beginTx(12);
    m.contributionReviewed(c1, VAL, false, 100); // rejected: 10000/4 = 2500 -> 100
    m.beginTx(12);
    m.contributionReviewed(c1, VAL, true, 9000); // back to 470 by the end of block 12: no entry
    m.beginTx(13);
    m.contributorSlashed(dn, OWNER, ALICE, 1n); // 4700/20 = 235
    m.beginTx(14);
    m.contributorSlashed(dn, OWNER, STRANGER, 1n); // never contributed: 2000/20 = 100
    // 10 OPEN fee: ALICE earns 5.5 OPEN: impact floor(2500*log10(6.5)) = 2032;
    // base (20000 + 27000 + 6096)/10 = 5309 -> 5309/20 = 265
    m.beginTx(15);
    m.inferenceSettled({
      inferenceId: H(99),
      modelId: 1n,
      payer: PAYER,
      fee: 10n * OPEN,
      contributionIds: [c1],
      weightsPpm: [1_000_000],
    });
    m.beginTx(16);
    m.contributionSubmitted(dn, BOB, H(2), 1n); // BOB's first input
    const gt = computeGroundTruth(m);
    assert.deepEqual(Object.keys(gt.reputation).sort(), [ALICE, BOB, STRANGER].sort());
    assert.deepEqual(gt.reputation[ALICE], {
      accepted: 1,
      rejected: 0,
      duplicates: 1,
      slashes: 1,
      earned: ((55n * OPEN) / 10n).toString(),
      acceptedQualitySum: 9000,
      acceptanceBps: 5000,
      qualityBps: 9000,
      impactBps: 2032,
      score: 265,
      history: [
        { block: 10, score: 133 },
        { block: 11, score: 470 },
        { block: 13, score: 235 },
        { block: 15, score: 265 },
      ],
    });
    assert.deepEqual(gt.reputation[STRANGER].history, [{ block: 14, score: 100 }]);
    assert.equal(gt.reputation[STRANGER].score, 100);
    assert.deepEqual(gt.reputation[BOB].history, [{ block: 16, score: 200 }]);
    assert.equal(gt.accounts[ALICE].earnedAsContributor, gt.reputation[ALICE].earned);
  });

  it('refuses a snapshot while a transaction carrying an input has no block yet', () => {
    const m = createTruthModel({ chainId: 901, scenario: 'unit', seed: 1 });
    const dn = m.datanetCreated(OWNER);
    const tx = m.beginTx();
    m.contributionSubmitted(dn, ALICE, H(1), 1n);
    assert.throws(() => computeGroundTruth(m), /no block yet/);
    m.txMined(tx, 3);
    assert.deepEqual(computeGroundTruth(m).reputation[ALICE].history, [{ block: 3, score: 200 }]);
  });

  it('counts inputs fed outside any announced transaction at block 0 (unit tests)', () => {
    // ALICE: one accepted (9000): acceptance 20000/3 = 6666; base (26664 + 27000)/10 = 5366 -> 536.
    const { m } = setup();
    assert.deepEqual(computeGroundTruth(m).reputation[ALICE].history, [{ block: 0, score: 536 }]);
  });
});
