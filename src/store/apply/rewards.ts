import type { EpochClosed, RewardClaimed } from '../../decode/events';
import { computeEpochTree } from '../../domain/merkle';
import { RewardClaim } from '../../model';
import { positionId, type BatchState } from '../state';

/** EpochClosed: the epoch is closed with its posted root and total. */
export function applyEpochClosed(s: BatchState, { args, loc }: EpochClosed): void {
  const epoch = s.epoch(args.epoch);
  if (epoch.closed) {
    s.anomaly('EPOCH_CLOSED_TWICE', `epoch ${args.epoch} closed again`, loc);
    return;
  }
  const tree = computeEpochTree(s.epochAccruals(args.epoch));
  epoch.closed = true;
  epoch.postedRoot = args.merkleRoot;
  epoch.postedTotal = args.totalAmount;
  epoch.recomputedRoot = tree.root;
  epoch.recomputedTotal = tree.total;
  epoch.reconciled = tree.root === args.merkleRoot.toLowerCase() && tree.total === args.totalAmount;
  epoch.closedAtBlock = loc.blockNumber;
  if (!epoch.reconciled) {
    s.anomaly(
      'EPOCH_ROOT_MISMATCH',
      `epoch ${args.epoch}: posted root ${args.merkleRoot} total ${args.totalAmount}, recomputed root ${tree.root} ` +
        `total ${tree.total} over ${tree.accounts} accounts (posted - recomputed = ${args.totalAmount - tree.total})`,
      loc,
    );
  }
}

/** RewardClaimed: a claim of an epoch's leaf by an account. */
export function applyRewardClaimed(s: BatchState, { args, loc }: RewardClaimed): void {
  const epoch = s.epoch(args.epoch);
  if (!epoch.closed) s.anomaly('CLAIM_ON_OPEN_EPOCH', `claim by ${args.account} on open epoch ${args.epoch}`, loc);
  epoch.claimedTotal += args.amount;
  epoch.claimCount++;
  const account = s.account(args.account, loc.blockNumber);
  account.claimedTotal += args.amount;
  const p = s.protocol;
  p.totalClaimed += args.amount;
  s.protocolTable.touch(p);
  s.claims.add(
    new RewardClaim({
      id: positionId(loc.blockNumber, loc.logIndex),
      epoch: args.epoch,
      account: args.account,
      amount: args.amount,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: loc.logIndex,
    }),
  );
}
