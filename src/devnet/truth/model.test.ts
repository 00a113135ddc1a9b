import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { createEpochProver } from './merkle';
import { createTruthModel } from './model';
import { computeGroundTruth } from './snapshot';

const OWNER = '0x00000000000000000000000000000000000000a1';
const ALICE = '0x00000000000000000000000000000000000000b2';
const BOB = '0x00000000000000000000000000000000000000c3';
const VAL = '0x00000000000000000000000000000000000000d4';
const MODEL_OWNER = '0x00000000000000000000000000000000000000e5';
const PAYER = '0x00000000000000000000000000000000000000f6';
const H1 = `0x${'11'.repeat(32)}`;
const H2 = `0x${'22'.repeat(32)}`;
const ID = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const SPLIT = { protocolBps: 1000, modelOwnerBps: 2000, datanetOwnerBps: 1500, contributorsBps: 5500 };

function setup() {
  const m = createTruthModel({ chainId: 901, scenario: 'unit', seed: 1 });
  const dn = m.datanetCreated(OWNER);
  m.validatorSet(dn, OWNER, VAL, true);
  const c1 = m.contributionSubmitted(dn, ALICE, H1, 100n);
  const c2 = m.contributionSubmitted(dn, BOB, H2, 50n);
  const model = m.modelRegistered(MODEL_OWNER, [dn]);
  return { m, dn, c1, c2, model };
}

describe('TruthModel', () => {
  it('detects duplicates per (datanet, dataHash), by the same and by another contributor', () => {
    const { m, dn, c1 } = setup();
    const dup1 = m.contributionSubmitted(dn, ALICE, H1, 100n);
    const dup2 = m.contributionSubmitted(dn, BOB, H1.toUpperCase().replace('0X', '0x'), 100n);
    const dn2 = m.datanetCreated(OWNER);
    const other = m.contributionSubmitted(dn2, ALICE, H1, 100n);
    assert.equal(m.contributions.get(dup1)!.duplicateOf, c1);
    assert.equal(m.contributions.get(dup2)!.duplicateOf, c1);
    assert.equal(m.contributions.get(other)!.duplicateOf, null);
    const gt = computeGroundTruth(m);
    assert.equal(gt.datanets['1'].duplicates, 2);
    assert.equal(gt.accounts[ALICE].duplicates, 1);
    assert.equal(gt.accounts[BOB].duplicates, 1);
  });

  it('lets the latest review win and flips eligibility on re-review (accepted -> rejected -> accepted)', () => {
    const { m, dn, c1, model } = setup();
    m.feeSplitSet(SPLIT);
    m.contributionReviewed(c1, VAL, true, 9000);
    m.inferenceSettled({
      inferenceId: ID(1),
      modelId: model,
      payer: PAYER,
      fee: 10_000n,
      contributionIds: [c1],
      weightsPpm: [1_000_000],
    });
    m.contributionReviewed(c1, VAL, false, 100);
    m.inferenceSettled({
      inferenceId: ID(2),
      modelId: model,
      payer: PAYER,
      fee: 10_000n,
      contributionIds: [c1],
      weightsPpm: [1_000_000],
    });
    m.contributionReviewed(c1, VAL, true, 7000);
    m.inferenceSettled({
      inferenceId: ID(3),
      modelId: model,
      payer: PAYER,
      fee: 10_000n,
      contributionIds: [c1],
      weightsPpm: [1_000_000],
    });
    const gt = computeGroundTruth(m);
    assert.deepEqual(
      [1, 2, 3].map((i) => gt.inferences[ID(i)].eligible),
      [1, 0, 1],
    );
    assert.deepEqual(
      [1, 2, 3].map((i) => gt.inferences[ID(i)].contributorsAmount),
      ['5500', '0', '5500'],
    );
    assert.equal(gt.contributions[c1.toString()].status, 'ACCEPTED');
    assert.equal(gt.contributions[c1.toString()].qualityBps, 7000);
    assert.equal(gt.contributions[c1.toString()].reviews, 3);
    assert.equal(gt.contributions[c1.toString()].earned, '11000');
    assert.equal(gt.accounts[ALICE].acceptedQualitySum, 7000);
    assert.equal(gt.datanets[dn.toString()].ownerEarned, '3000');
    assert.equal(gt.accounts[MODEL_OWNER].earnedAsModelOwner, '6000');
    assert.equal(gt.totals.toProtocol, (30_000n - 11_000n - 3000n - 6000n).toString());
  });

  it('sends everything to the protocol before the first fee split and counts unknown attributions', () => {
    const { m, c1, model } = setup();
    m.contributionReviewed(c1, VAL, true, 9000);
    m.inferenceSettled({
      inferenceId: ID(1),
      modelId: model,
      payer: PAYER,
      fee: 999n,
      contributionIds: [c1, 77n],
      weightsPpm: [500_000, 500_000],
    });
    const gt = computeGroundTruth(m);
    assert.equal(gt.inferences[ID(1)].protocolAmount, '999');
    assert.equal(gt.epochs['1'].accruedToAccounts, '0');
    assert.equal(gt.anomalies.UNKNOWN_CONTRIBUTION, 1);
    assert.equal(gt.totals.attributedInferences, 1);
  });

  it('closes epochs with a StandardMerkleTree root, flags a wrong posted root and records claims', () => {
    const { m, c1, c2, model } = setup();
    m.feeSplitSet(SPLIT);
    m.contributionReviewed(c1, VAL, true, 9000);
    m.contributionReviewed(c2, VAL, true, 8000);
    const attribution = { contributionIds: [c1, c2], weightsPpm: [700_000, 300_000] };
    m.inferenceSettled({ inferenceId: ID(1), modelId: model, payer: PAYER, fee: 1_000_003n, ...attribution });
    const tree = m.currentEpochTree();
    // ALICE 550,001*0.7 = 385,000; BOB 165,000; OWNER D = 150,000; MODEL_OWNER 200,000.
    assert.deepEqual(Object.fromEntries(tree.amounts), {
      [ALICE]: 385_000n,
      [BOB]: 165_000n,
      [OWNER]: 150_000n,
      [MODEL_OWNER]: 200_000n,
    });
    const reference = StandardMerkleTree.of(
      [
        [BOB, '165000'],
        [ALICE, '385000'],
        [MODEL_OWNER, '200000'],
        [OWNER, '150000'],
      ],
      ['address', 'uint256'],
    );
    assert.equal(tree.root, reference.root);
    assert.ok(
      StandardMerkleTree.verify(tree.root, ['address', 'uint256'], [ALICE, 385_000n], createEpochProver(tree)(ALICE)),
    );
    m.epochClosed(tree.root, tree.total);
    m.rewardClaimed(1n, ALICE, 385_000n);
    assert.throws(() => m.rewardClaimed(1n, ALICE, 385_000n), /already claimed/);
    m.inferenceSettled({
      inferenceId: ID(2),
      modelId: model,
      payer: PAYER,
      fee: 10_000n,
      contributionIds: [],
      weightsPpm: [],
    });
    m.epochClosed(`0x${'ab'.repeat(32)}`, 2001n);
    assert.throws(() => m.rewardClaimed(2n, MODEL_OWNER, 2000n), /wrong root/);
    const gt = computeGroundTruth(m);
    assert.equal(gt.anomalies.EPOCH_ROOT_MISMATCH, 1);
    assert.equal(gt.epochs['1'].expectedRoot, gt.epochs['1'].postedRoot);
    assert.equal(gt.epochs['1'].expectedTotal, '900000');
    assert.equal(gt.epochs['1'].claims, 1);
    assert.equal(gt.epochs['2'].expectedTotal, '2000');
    assert.equal(gt.epochs['2'].postedTotal, '2001');
    assert.equal(gt.epochs['3'].closed, false);
    assert.equal(gt.accounts[ALICE].claimed, '385000');
    assert.equal(gt.totals.claimed, '385000');
  });

  it('refuses what the contracts would revert (submission to a paused Datanet, review by a disabled validator)', () => {
    const { m, dn, c1 } = setup();
    m.validatorSet(dn, OWNER, VAL, false);
    assert.throws(() => m.contributionReviewed(c1, VAL, true, 1), /not a validator/);
    m.datanetStatusSet(dn, OWNER, 1);
    assert.throws(() => m.contributionSubmitted(dn, ALICE, H2, 1n), /not active/);
    assert.equal(computeGroundTruth(m).datanets[dn.toString()].status, 'PAUSED');
  });
});

describe('TruthModel.clone', () => {
  it('copies deeply: changing the copy leaves the original untouched', () => {
    const { m, c1, model } = setup();
    m.feeSplitSet(SPLIT);
    const copy = m.clone();
    copy.contributionReviewed(c1, VAL, true, 5000);
    copy.inferenceSettled({
      inferenceId: ID(1),
      modelId: model,
      payer: PAYER,
      fee: 100n,
      contributionIds: [c1],
      weightsPpm: [1_000_000],
    });
    assert.equal(m.contributions.get(c1)!.status, 'PENDING');
    assert.equal(m.inferences.size, 0);
    assert.equal(copy.inferences.size, 1);
    assert.equal(computeGroundTruth(copy).accounts[ALICE].earnedAsContributor, '55');
    assert.equal(computeGroundTruth(m).accounts[ALICE].earnedAsContributor, '0');
  });
});
