// Epoch rows of the API test seed: per-account payouts of a closed and an open epoch (amounts above
// 2^64), the epochs' Merkle state computed from them, per-Datanet and per-model epoch totals, and
// reputation history. Not a test file.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { computeReputation } from '../domain/reputation';
import {
  type Account,
  AccountEpoch,
  type Datanet,
  DatanetEpoch,
  Epoch,
  type Model,
  ModelEpoch,
  ReputationChange,
} from '../model';
import { ADDR, at } from './test-values';

/** The closed epoch with account rows. */
export const CLOSED_EPOCH = 1n;
/** The open epoch with account rows. */
export const OPEN_EPOCH = 2n;

const E64 = 2n ** 64n;

/**
 * An epoch's Merkle tree built here from account rows (PROTOCOL.md: leaves [account, total] of the
 * rows with a positive total, StandardMerkleTree over (address, uint256)): what the API must serve.
 */
export function epochTree(accountEpochs: readonly AccountEpoch[], epoch: bigint) {
  const leaves = accountEpochs
    .filter((r) => r.epoch === epoch && r.total > 0n)
    .map((r): [string, string] => [r.account, r.total.toString()]);
  return { leaves, tree: StandardMerkleTree.of(leaves, ['address', 'uint256']) };
}

/** The epoch rows and everything they are derived from. */
export interface EpochSeed {
  epochs: Epoch[];
  accountEpochs: AccountEpoch[];
  datanetEpochs: DatanetEpoch[];
  modelEpochs: ModelEpoch[];
  reputationChanges: ReputationChange[];
}

function accountEpoch(
  epoch: bigint,
  account: string,
  roles: { c?: bigint; d?: bigint; m?: bigint },
  claim?: { amount: bigint; block: number },
): AccountEpoch {
  const asContributor = roles.c ?? 0n;
  const asDatanetOwner = roles.d ?? 0n;
  const asModelOwner = roles.m ?? 0n;
  return new AccountEpoch({
    id: `${epoch}-${account}`,
    epoch,
    account,
    asContributor,
    asDatanetOwner,
    asModelOwner,
    total: asContributor + asDatanetOwner + asModelOwner,
    claimed: claim?.amount ?? 0n,
    claimCount: claim ? 1 : 0,
    lastClaimAtBlock: claim?.block ?? null,
    firstAccruedAtBlock: 100 + Number(epoch) * 10,
  });
}

/**
 * Builds the epochs 1 (closed), 2 (open, with the seeded inference's totals) and 10 (open, empty), the
 * account rows of epochs 1 and 2, and sets the reputation columns of the accounts that contributed.
 */
export function epochRows(
  accounts: Account[],
  datanets: Datanet[],
  model: Model,
  epoch2: Pick<Epoch, 'inferenceCount' | 'totalFees' | 'accruedToAccounts' | 'protocolAmount'>,
): EpochSeed {
  const [c0, c1, c2, c3] = ADDR.contributors;
  const accountEpochs = [
    // Epoch 1, closed: c0 claimed its leaf; ownerA and modelOwner tie on total (address breaks the tie);
    // ownerB only has a claim (no leaf).
    accountEpoch(CLOSED_EPOCH, c0, { c: 2n ** 70n + 1n }, { amount: 2n ** 70n + 1n, block: 390 }),
    accountEpoch(CLOSED_EPOCH, c1, { c: 5n * E64 + 5n }),
    accountEpoch(CLOSED_EPOCH, c2, { c: E64 + 11n, d: 2n * E64 }),
    accountEpoch(CLOSED_EPOCH, ADDR.ownerA, { d: 3n * E64 + 1n }),
    accountEpoch(CLOSED_EPOCH, ADDR.modelOwner, { m: 3n * E64 + 1n }),
    accountEpoch(CLOSED_EPOCH, c3, { c: 7n }),
    accountEpoch(CLOSED_EPOCH, ADDR.ownerB, {}, { amount: 10n, block: 395 }),
    // Epoch 2, open.
    accountEpoch(OPEN_EPOCH, c0, { c: 2n ** 67n }),
    accountEpoch(OPEN_EPOCH, c1, { c: 2n ** 69n + 3n }),
    accountEpoch(OPEN_EPOCH, ADDR.ownerA, { d: E64 + 9n }),
    accountEpoch(OPEN_EPOCH, ADDR.modelOwner, { m: 4n * E64 }),
  ];
  const of = (epoch: bigint) => accountEpochs.filter((r) => r.epoch === epoch);
  const { leaves, tree } = epochTree(accountEpochs, CLOSED_EPOCH);
  const root = tree.root;
  const recomputedTotal = leaves.reduce((s, [, amount]) => s + BigInt(amount), 0n);
  const postedTotal = recomputedTotal + 1000n; // posted one 1000 wei more than the leaves sum to

  const epoch = (n: bigint, closed: boolean, totals?: typeof epoch2) => {
    const rows = of(n);
    return new Epoch({
      id: String(n),
      epoch: n,
      inferenceCount: totals?.inferenceCount ?? 0,
      totalFees: totals?.totalFees ?? 0n,
      accruedToAccounts: totals?.accruedToAccounts ?? 0n,
      protocolAmount: totals?.protocolAmount ?? 0n,
      closed,
      postedRoot: closed ? root : null,
      postedTotal: closed ? postedTotal : null,
      recomputedRoot: closed ? root : null,
      recomputedTotal: closed ? recomputedTotal : null,
      reconciled: closed ? postedTotal === recomputedTotal : null,
      closedAtBlock: closed ? 380 + Number(n) : null,
      earningAccounts: rows.filter((r) => r.total > 0n).length,
      claimedTotal: rows.reduce((s, r) => s + r.claimed, 0n),
      claimCount: rows.reduce((s, r) => s + r.claimCount, 0),
    });
  };
  const epochs = [epoch(CLOSED_EPOCH, true), epoch(OPEN_EPOCH, false, epoch2), epoch(10n, false)];

  const datanetEpochs = [
    ...[1n, 2n, 10n].map(
      (e, i) =>
        new DatanetEpoch({
          id: `1-${e}`,
          datanet: datanets[0],
          epoch: e,
          eligibleAttributionCount: i + 1,
          contributorsEarned: E64 * BigInt(i + 2) + 1n,
          ownerEarned: E64 + BigInt(i),
        }),
    ),
    ...[2, 3].map(
      (d) =>
        new DatanetEpoch({
          id: `${d}-1`,
          datanet: datanets[d - 1],
          epoch: 1n,
          eligibleAttributionCount: d,
          contributorsEarned: BigInt(d) * 1000n,
          ownerEarned: BigInt(d),
        }),
    ),
  ];
  const modelEpochs = [1n, 2n, 10n].map(
    (e, i) =>
      new ModelEpoch({
        id: `${model.id}-${e}`,
        model,
        epoch: e,
        inferenceCount: i + 1,
        fees: E64 * 10n + BigInt(i),
        ownerEarned: E64 * 2n,
        contributorsEarned: E64 * 5n,
        datanetOwnersEarned: E64 * 2n,
        protocolEarned: E64 + BigInt(i),
      }),
  );

  // Reputation of every account that contributed, from its counters; history rows for c0 and c1.
  for (const a of accounts) {
    if (a.contributionCount === 0) continue;
    const r = computeReputation({
      accepted: a.acceptedCount,
      rejected: a.rejectedCount,
      duplicates: a.duplicateCount,
      slashes: a.slashCount,
      acceptedQualitySum: a.acceptedQualitySum,
      earned: a.earnedAsContributor,
    });
    Object.assign(a, {
      reputationScore: r.score,
      acceptanceBps: r.acceptanceBps,
      qualityBps: r.qualityBps,
      impactBps: r.impactBps,
      reputationUpdatedAtBlock: 400,
    });
  }
  const change = (account: string, blockNumber: number, k: number) =>
    new ReputationChange({
      id: `${account}-${String(blockNumber).padStart(10, '0')}`,
      account,
      blockNumber,
      timestamp: at(blockNumber),
      score: 400 + k * 37,
      acceptanceBps: 5000 + k * 100,
      qualityBps: 6000 + k,
      impactBps: k * 10,
      accepted: k,
      rejected: 1,
      duplicates: k % 2,
      slashes: 0,
      acceptedQualitySum: BigInt(6000 + k) * BigInt(k),
      earned: E64 * BigInt(k) + 1n,
    });
  const reputationChanges = [change(c0, 101, 0), change(c1, 102, 1), change(c1, 150, 2), change(c1, 305, 3)];
  return { epochs, accountEpochs, datanetEpochs, modelEpochs, reputationChanges };
}
