import type { EpochClosed, RewardClaimed } from '../../decode/events';
import { computeEpochTree } from '../../domain/merkle';
import { AccountEpoch, RewardClaim } from '../../model';
import { accountEpochId, positionId } from '../ids';
import type { BatchState } from '../state';

/** EpochClosed: the epoch is closed with its posted root and total. */
export function applyEpochClosed(s: BatchState, { args, loc }: EpochClosed): void {
  const epoch = s.epoch(args.epoch);
  if (epoch.closed) {
    s.anomaly('EPOCH_CLOSED_TWICE', `epoch ${args.epoch} closed again`, loc);
    return;
  }
  const tree = computeEpochTree(s.epochAccounts(args.epoch).map((a) => ({ account: a.account, amount: a.total })));
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

/**
 * RewardClaimed: a claim of an epoch's leaf by an account. What the vault paid is always counted (it
 * left the vault); a claim that does not fit the account's leaf is also recorded as an anomaly: a
 * claim on an open epoch, a second claim, or an amount other than the leaf (including no leaf).
 */
export function applyRewardClaimed(s: BatchState, { args, loc }: RewardClaimed): void {
  const epoch = s.epoch(args.epoch);
  const who = `claim by ${args.account} of epoch ${args.epoch}`;
  const leaf = s.accountEpochs.get(accountEpochId(args.epoch, args.account));
  const leafAmount = leaf?.total ?? 0n;
  if (!epoch.closed) s.anomaly('CLAIM_ON_OPEN_EPOCH', `${who}: the epoch is open`, loc);
  if (leaf && leaf.claimCount > 0) {
    s.anomaly('DUPLICATE_CLAIM', `${who}: already claimed ${leaf.claimed}`, loc);
  } else if (args.amount !== leafAmount) {
    s.anomaly(
      'CLAIM_AMOUNT_MISMATCH',
      `${who}: claimed ${args.amount}, leaf ${leafAmount} (claimed - leaf = ${args.amount - leafAmount})`,
      loc,
    );
  }
  // No accrual: what was paid is kept on a row with a zero leaf (not an earning account, not in the
  // tree), so the account's and the epoch's claimed totals still add up.
  const row =
    leaf ??
    s.accountEpochs.put(
      new AccountEpoch({
        id: accountEpochId(args.epoch, args.account),
        epoch: args.epoch,
        account: args.account,
        asContributor: 0n,
        asDatanetOwner: 0n,
        asModelOwner: 0n,
        total: 0n,
        claimed: 0n,
        claimCount: 0,
        lastClaimAtBlock: null,
        firstAccruedAtBlock: loc.blockNumber,
        lastAccruedAtBlock: null,
      }),
    );
  row.claimed += args.amount;
  row.claimCount++;
  row.lastClaimAtBlock = loc.blockNumber;
  s.accountEpochs.touch(row);
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
