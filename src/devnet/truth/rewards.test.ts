import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeInferencePayout, ContributionView, FeeSplit } from './rewards';

const SPLIT: FeeSplit = { protocolBps: 1000, modelOwnerBps: 2000, datanetOwnerBps: 1500, contributorsBps: 5500 };
const CONTRIBUTIONS = new Map<bigint, ContributionView>([
  [1n, { status: 'ACCEPTED', contributor: '0xa1', datanetId: 1n }],
  [2n, { status: 'ACCEPTED', contributor: '0xb2', datanetId: 2n }],
  [3n, { status: 'REJECTED', contributor: '0xc3', datanetId: 1n }],
  [4n, { status: 'PENDING', contributor: '0xa1', datanetId: 2n }],
  [5n, { status: 'ACCEPTED', contributor: '0xb2', datanetId: 1n }],
]);
const OWNERS = new Map<bigint, string>([
  [1n, '0xd1'],
  [2n, '0xd2'],
]);

function payout(fee: bigint, split: FeeSplit | null, ids: bigint[], weights: number[]) {
  return computeInferencePayout({
    fee,
    split,
    modelOwner: '0xm0',
    contributionIds: ids,
    weightsPpm: weights,
    contribution: (id) => CONTRIBUTIONS.get(id),
    datanetOwner: (id) => OWNERS.get(id)!,
  });
}

describe('computeInferencePayout (PROTOCOL.md section 3, worked by hand)', () => {
  it('splits fee 1,000,003 wei with two eligible and one rejected attribution exactly as worked by hand', () => {
    // P = 100,000; M = 200,000; D = 150,000; C = 550,001 (all floor of F*bps/10,000).
    // #1 (dn 1, accepted, 500,000 ppm): 550,001*500,000/1e6 = 275,000 (floor 275,000.5)
    // #2 (dn 2, accepted, 333,333 ppm): 550,001*333,333/1e6 = 183,333 (floor 183,333.48)
    // #3 (dn 1, rejected, 166,667 ppm): nothing; W1 = 500,000, W2 = 333,333
    // dn 1 owner: 150,000*500,000/1e6 = 75,000; dn 2 owner: 150,000*333,333/1e6 = 49,999 (floor 49,999.95)
    // protocol = 1,000,003 - 200,000 - 75,000 - 49,999 - 275,000 - 183,333 = 216,671
    const r = payout(1_000_003n, SPLIT, [1n, 2n, 3n], [500_000, 333_333, 166_667]);
    assert.deepEqual(r.payments, [
      { account: '0xa1', role: 'CONTRIBUTOR', amount: 275_000n, contributionId: 1n, datanetId: 1n },
      { account: '0xb2', role: 'CONTRIBUTOR', amount: 183_333n, contributionId: 2n, datanetId: 2n },
      { account: '0xd1', role: 'DATANET_OWNER', amount: 75_000n, datanetId: 1n },
      { account: '0xd2', role: 'DATANET_OWNER', amount: 49_999n, datanetId: 2n },
      { account: '0xm0', role: 'MODEL_OWNER', amount: 200_000n },
    ]);
    assert.equal(r.contributorsAmount, 458_333n);
    assert.equal(r.datanetOwnersAmount, 124_999n);
    assert.equal(r.modelOwnerAmount, 200_000n);
    assert.equal(r.protocolAmount, 216_671n);
    assert.equal(r.eligible, 2);
    assert.equal(r.unknown, 0);
    assert.equal(r.protocolAmount + r.contributorsAmount + r.datanetOwnersAmount + r.modelOwnerAmount, 1_000_003n);
  });

  it('pays only the model owner when no attribution is recorded: C and D stay with the protocol', () => {
    const r = payout(1_000_003n, SPLIT, [], []);
    assert.deepEqual(r.payments, [{ account: '0xm0', role: 'MODEL_OWNER', amount: 200_000n }]);
    assert.equal(r.protocolAmount, 800_003n);
    assert.equal(r.eligible, 0);
  });

  it('gives the whole fee to the protocol when no fee split was ever set', () => {
    const r = payout(1_000_003n, null, [1n, 2n], [600_000, 400_000]);
    assert.deepEqual(r.payments, []);
    assert.equal(r.eligible, 2, 'eligibility depends on status only');
    assert.equal(r.protocolAmount, 1_000_003n);
    assert.equal(r.modelOwnerAmount + r.datanetOwnersAmount + r.contributorsAmount, 0n);
  });

  it('treats pending and never-submitted contributions as ineligible and counts the unknown ones', () => {
    // #4 pending (400,000), #99 unknown (100,000), #1 accepted (500,000). C = 550,001, D = 150,000.
    const r = payout(1_000_003n, SPLIT, [4n, 99n, 1n], [400_000, 100_000, 500_000]);
    assert.equal(r.eligible, 1);
    assert.equal(r.unknown, 1);
    assert.equal(r.contributorsAmount, 275_000n);
    assert.equal(r.datanetOwnersAmount, 75_000n);
    assert.equal(r.protocolAmount, 1_000_003n - 200_000n - 75_000n - 275_000n);
  });

  it('sums the eligible weights of one Datanet before dividing (one owner payment per Datanet)', () => {
    // #1 and #5 both in dn 1, 333,333 ppm each, #2 in dn 2 with 333,334. D = 150,000.
    // dn 1: 150,000*666,666/1e6 = 99,999 (per-item flooring would give 49,999*2 = 99,998).
    // dn 2: 150,000*333,334/1e6 = 50,000 (floor 50,000.1).
    const r = payout(1_000_003n, SPLIT, [1n, 2n, 5n], [333_333, 333_334, 333_333]);
    const owners = r.payments.filter((p) => p.role === 'DATANET_OWNER');
    assert.deepEqual(owners, [
      { account: '0xd1', role: 'DATANET_OWNER', amount: 99_999n, datanetId: 1n },
      { account: '0xd2', role: 'DATANET_OWNER', amount: 50_000n, datanetId: 2n },
    ]);
  });

  it('rounds tiny fees down share by share, the dust staying with the protocol', () => {
    // Fee 7 wei: M = 1, D = 1, C = 3; #1: 3*999,999/1e6 = 2; #2: 3*1/1e6 = 0; dn1: 0; dn2: 0.
    const r = payout(7n, SPLIT, [1n, 2n], [999_999, 1]);
    assert.deepEqual(
      r.payments.map((p) => p.amount),
      [2n, 0n, 0n, 0n, 1n],
    );
    assert.equal(r.protocolAmount, 4n);
  });
});
