/**
 * Renders the ground-truth model as the GroundTruth JSON shape of src/devnet/types.ts
 * (amounts as decimal strings, addresses lowercase). Rules where PROTOCOL.md is silent:
 * - `accounts`: every address that contributed, was slashed, owns a Datanet or a model, paid
 *   for an inference, earned in any role or claimed (payers may have all-zero counters).
 * - `bridge.accounts`: a deposit counts for its L2 recipient (`to` of DepositFinalized), a
 *   withdrawal for its L2 sender (`from` of WithdrawalInitiated for ERC20s, `sender` of
 *   MessagePassed for native OPEN: a contract when withdrawn through DevnetMulticall); the token
 *   key is the L2 token, the zero address for native OPEN.
 * - `epochs`: every epoch from the first to the open one; an epoch without any positive
 *   accrual has expectedRoot 0x00…00 and expectedTotal 0 (no tree can be built).
 * - `inferences[].eligible` counts ACCEPTED attributions even when no split pays them.
 * - Datanet `ownerEarned` / `contributorsEarned`: DATANET_OWNER payments for that Datanet and
 *   CONTRIBUTOR payments for its contributions.
 * - Account `claimable` = accrued in closed epochs minus claimed, literally as PROTOCOL.md section 4
 *   says: the wrongly rooted epoch counts although its proofs cannot verify (nobody can claim it).
 *   `pendingRewards` = accrued in open epochs.
 * - Epoch `roles`, `datanets`: positive amounts only (zero-amount dust payments leave no entry);
 *   epoch `models`: every model with an inference settled in the epoch, even a zero-fee one.
 * - `stats`: see ./stats.ts (bucket by the block timestamp of the transaction; series and figures).
 * - `totals.bridgeTokens`: the per-account bridge totals summed per token.
 * - Datanet `earnedTotal` = ownerEarned + contributorsEarned; `contributorEarnings`: CONTRIBUTOR
 *   payments per contributor for that Datanet's contributions (positive only).
 * - Epoch `closedAtBlock`: the block of its EpochClosed.
 * - `payoutHistory` (when the model keeps its ledger): per account, what it was paid per role and
 *   claimed, summed per (block, epoch), positive amounts only.
 * - `reputation`: every address that submitted a contribution or was slashed (a slashed address
 *   that never contributed still gets a record). Its counters are recomputed here from the
 *   contributions and must equal the inputs the model kept up to date event by event (a mismatch
 *   is a simulator bug and throws). `history` keeps the end-of-block score of every block in
 *   which the score moved, plus the first block with an input.
 */
import type {
  GroundTruth,
  PayoutRoleName,
  TruthAccount,
  TruthBridgeToken,
  TruthBridgeVolume,
  TruthContribution,
  TruthDatanet,
  TruthEpoch,
  TruthInference,
  TruthEpochDatanet,
  TruthEpochModel,
  TruthModel as TruthModelJson,
  TruthPayoutPoint,
  TruthReputation,
} from '../types';
import type { TruthModel } from './model';
import { computeReputation } from './reputation';
import type { ReputationState } from './state';
import { computeStatsTruth } from './stats';

const STATUS = ['ACTIVE', 'PAUSED', 'CLOSED'] as const;

/** Builds the GroundTruth document from the model's current state. */
export function computeGroundTruth(model: TruthModel): GroundTruth {
  const accounts: Record<string, TruthAccount> = {};
  const accountOf = (address: string): TruthAccount => {
    let a = accounts[address];
    if (a === undefined) {
      const e = model.account(address);
      const earnedTotal = e.earned.CONTRIBUTOR + e.earned.DATANET_OWNER + e.earned.MODEL_OWNER;
      a = accounts[address] = {
        contributions: 0,
        pending: 0,
        accepted: 0,
        rejected: 0,
        duplicates: 0,
        acceptedQualitySum: 0,
        slashes: e.slashes,
        slashedAmount: e.slashedAmount.toString(),
        earnedAsContributor: e.earned.CONTRIBUTOR.toString(),
        earnedAsDatanetOwner: e.earned.DATANET_OWNER.toString(),
        earnedAsModelOwner: e.earned.MODEL_OWNER.toString(),
        earnedTotal: earnedTotal.toString(),
        claimed: e.claimed.toString(),
        claimable: '0',
        pendingRewards: '0',
      };
    }
    return a;
  };
  for (const address of [...model.accounts.keys()].sort()) accountOf(address);

  const datanets: Record<string, TruthDatanet> = {};
  const sizes = new Map<string, { total: bigint; accepted: bigint }>();
  for (const d of model.datanets.values()) {
    datanets[d.id.toString()] = {
      owner: d.owner,
      status: STATUS[d.status],
      validatorCount: d.validators.size,
      contributions: 0,
      pending: 0,
      accepted: 0,
      rejected: 0,
      duplicates: 0,
      totalSizeBytes: '0',
      acceptedSizeBytes: '0',
      slashes: d.slashes,
      slashedAmount: d.slashedAmount.toString(),
      ownerEarned: d.ownerEarned.toString(),
      contributorsEarned: d.contributorsEarned.toString(),
      earnedTotal: (d.ownerEarned + d.contributorsEarned).toString(),
      contributorEarnings: Object.fromEntries(
        sortedByKey(d.contributorEarnings)
          .filter(([, v]) => v > 0n)
          .map(([a, v]) => [a, v.toString()]),
      ),
    };
    sizes.set(d.id.toString(), { total: 0n, accepted: 0n });
  }

  const contributions: Record<string, TruthContribution> = {};
  for (const c of model.contributions.values()) {
    const dn = datanets[c.datanetId.toString()];
    const size = sizes.get(c.datanetId.toString())!;
    const acc = accountOf(c.contributor);
    dn.contributions++;
    acc.contributions++;
    size.total += c.sizeBytes;
    if (c.status === 'PENDING') {
      dn.pending++;
      acc.pending++;
    } else if (c.status === 'ACCEPTED') {
      dn.accepted++;
      acc.accepted++;
      acc.acceptedQualitySum += c.qualityBps ?? 0;
      size.accepted += c.sizeBytes;
    } else {
      dn.rejected++;
      acc.rejected++;
    }
    if (c.duplicateOf !== null) {
      dn.duplicates++;
      acc.duplicates++;
    }
    contributions[c.id.toString()] = {
      datanetId: c.datanetId.toString(),
      contributor: c.contributor,
      status: c.status,
      qualityBps: c.qualityBps,
      reviews: c.reviews,
      duplicateOf: c.duplicateOf === null ? null : c.duplicateOf.toString(),
      earned: c.earned.toString(),
    };
  }
  for (const [id, s] of sizes) {
    datanets[id].totalSizeBytes = s.total.toString();
    datanets[id].acceptedSizeBytes = s.accepted.toString();
  }

  const models: Record<string, TruthModelJson> = {};
  for (const m of model.models.values()) {
    models[m.id.toString()] = {
      owner: m.owner,
      datanetIds: m.datanetIds.map(String),
      adapters: m.adapters,
      inferences: m.inferences,
      fees: m.fees.toString(),
      ownerEarned: m.ownerEarned.toString(),
      contributorsEarned: m.contributorsEarned.toString(),
      datanetOwnersEarned: m.datanetOwnersEarned.toString(),
      protocolEarned: m.protocolEarned.toString(),
    };
  }

  const inferences: Record<string, TruthInference> = {};
  let fees = 0n,
    toContributors = 0n,
    toDatanetOwners = 0n,
    toModelOwners = 0n,
    toProtocol = 0n;
  for (const [id, i] of model.inferences) {
    fees += i.fee;
    toContributors += i.contributorsAmount;
    toDatanetOwners += i.datanetOwnersAmount;
    toModelOwners += i.modelOwnerAmount;
    toProtocol += i.protocolAmount;
    inferences[id] = {
      modelId: i.modelId.toString(),
      payer: i.payer,
      fee: i.fee.toString(),
      epoch: i.epoch.toString(),
      attributions: i.attributions,
      eligible: i.eligible,
      modelOwnerAmount: i.modelOwnerAmount.toString(),
      datanetOwnersAmount: i.datanetOwnersAmount.toString(),
      contributorsAmount: i.contributorsAmount.toString(),
      protocolAmount: i.protocolAmount.toString(),
    };
  }

  const epochs: Record<string, TruthEpoch> = {};
  const closedAccrued = new Map<string, bigint>();
  const openAccrued = new Map<string, bigint>();
  for (const [no, e] of model.epochs) {
    const accs: Record<string, string> = {};
    for (const [a, v] of [...e.accruals].sort(([x], [y]) => (x < y ? -1 : 1))) if (v > 0n) accs[a] = v.toString();
    const into = e.closed ? closedAccrued : openAccrued;
    for (const [a, v] of e.accruals) into.set(a, (into.get(a) ?? 0n) + v);
    let claimed = 0n;
    for (const v of e.claims.values()) claimed += v;
    const roles: Record<string, Partial<Record<PayoutRoleName, string>>> = {};
    for (const [a, perRole] of sortedByKey(e.roles)) {
      const positive = Object.entries(perRole).filter(([, v]) => v > 0n);
      if (positive.length > 0) roles[a] = Object.fromEntries(positive.map(([role, v]) => [role, v.toString()]));
    }
    const claimedBy: Record<string, string> = {};
    for (const [a, v] of sortedByKey(e.claims)) claimedBy[a] = v.toString();
    const epochDatanets: Record<string, TruthEpochDatanet> = {};
    for (const [id, d] of [...e.datanets].sort(([x], [y]) => (x < y ? -1 : 1))) {
      if (d.contributorsEarned + d.ownerEarned > 0n)
        epochDatanets[id.toString()] = {
          contributorsEarned: d.contributorsEarned.toString(),
          ownerEarned: d.ownerEarned.toString(),
        };
    }
    const epochModels: Record<string, TruthEpochModel> = {};
    for (const [id, m] of [...e.models].sort(([x], [y]) => (x < y ? -1 : 1))) {
      epochModels[id.toString()] = {
        inferences: m.inferences,
        fees: m.fees.toString(),
        ownerEarned: m.ownerEarned.toString(),
        contributorsEarned: m.contributorsEarned.toString(),
        datanetOwnersEarned: m.datanetOwnersEarned.toString(),
        protocolEarned: m.protocolEarned.toString(),
      };
    }
    epochs[no.toString()] = {
      inferences: e.inferences,
      fees: e.fees.toString(),
      accruedToAccounts: e.accruedToAccounts.toString(),
      protocolAmount: e.protocolAmount.toString(),
      closed: e.closed,
      postedRoot: e.postedRoot,
      postedTotal: e.postedTotal === null ? null : e.postedTotal.toString(),
      expectedRoot: e.expected === null ? null : e.expected.root,
      expectedTotal: e.expected === null ? null : e.expected.total.toString(),
      closedAtBlock: e.closedTx === null ? null : model.blockOfTx(e.closedTx),
      accounts: accs,
      claims: e.claims.size,
      claimed: claimed.toString(),
      earningAccounts: Object.keys(accs).length,
      roles,
      claimedBy,
      datanets: epochDatanets,
      models: epochModels,
    };
  }
  for (const [address, a] of Object.entries(accounts)) {
    a.claimable = ((closedAccrued.get(address) ?? 0n) - BigInt(a.claimed)).toString();
    a.pendingRewards = (openAccrued.get(address) ?? 0n).toString();
  }

  const reputation: Record<string, TruthReputation> = {};
  for (const [address, r] of sortedByKey(model.reputation)) {
    reputation[address] = reputationOf(model, address, r, accounts[address]);
  }

  const bridgeAccounts: Record<string, Record<string, TruthBridgeToken>> = {};
  const tokenTotals = new Map<string, { dc: number; d: bigint; wc: number; w: bigint }>();
  for (const [account, perToken] of model.bridge) {
    const out: Record<string, TruthBridgeToken> = {};
    for (const [token, t] of perToken) {
      const total = tokenTotals.get(token) ?? { dc: 0, d: 0n, wc: 0, w: 0n };
      total.dc += t.depositCount;
      total.d += t.deposited;
      total.wc += t.withdrawalCount;
      total.w += t.withdrawn;
      tokenTotals.set(token, total);
      out[token] = {
        deposited: t.deposited.toString(),
        depositCount: t.depositCount,
        withdrawn: t.withdrawn.toString(),
        withdrawalCount: t.withdrawalCount,
      };
    }
    bridgeAccounts[account] = out;
  }

  const bridgeTokens: Record<string, TruthBridgeVolume> = {};
  for (const [token, t] of [...tokenTotals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    bridgeTokens[token] = {
      depositCount: t.dc,
      depositedAmount: t.d.toString(),
      withdrawalCount: t.wc,
      withdrawnAmount: t.w.toString(),
    };
  }

  return {
    chainId: model.chainId,
    scenario: model.scenario,
    seed: model.seed,
    headBlock: model.headBlock,
    totals: {
      datanets: model.datanets.size,
      contributions: model.contributions.size,
      models: model.models.size,
      inferences: model.inferences.size,
      attributedInferences: model.attributedInferences,
      fees: fees.toString(),
      toContributors: toContributors.toString(),
      toDatanetOwners: toDatanetOwners.toString(),
      toModelOwners: toModelOwners.toString(),
      toProtocol: toProtocol.toString(),
      claims: model.claims,
      claimed: model.claimed.toString(),
      creditPurchases: model.creditPurchases,
      creditPaid: model.creditPaid.toString(),
      datanetCreationFees: model.creationFees,
      datanetCreationFeeTotal: model.creationFeeTotal.toString(),
      bridgeDeposits: model.bridgeDeposits,
      bridgeWithdrawals: model.bridgeWithdrawals,
      reviewsAccepted: model.reviewsAccepted,
      reviewsRejected: model.reviewsRejected,
      bridgeTokens,
      events: model.events,
    },
    anomalies: { ...model.anomalies },
    accounts,
    datanets,
    models,
    contributions,
    inferences,
    epochs,
    reputation,
    stats: computeStatsTruth(model),
    bridge: { accounts: bridgeAccounts, withdrawalHashes: [...model.withdrawalHashes] },
    ...(model.ledger === null ? {} : { payoutHistory: payoutHistoryOf(model) }),
  };
}

/** Each account's ledger summed per (block, epoch): what it was paid per role and claimed in that block. */
function payoutHistoryOf(model: TruthModel): Record<string, TruthPayoutPoint[]> {
  const out: Record<string, TruthPayoutPoint[]> = {};
  for (const [account, entries] of sortedByKey(model.ledger!)) {
    const points = new Map<string, { block: number; epoch: bigint; sums: Map<string, bigint> }>();
    for (const e of entries) {
      const block = model.blockOfTx(e.tx);
      const key = `${block}-${e.epoch}`;
      let p = points.get(key);
      if (p === undefined) points.set(key, (p = { block, epoch: e.epoch, sums: new Map() }));
      const field = e.kind === 'CLAIM' ? 'claimed' : e.kind;
      p.sums.set(field, (p.sums.get(field) ?? 0n) + e.amount);
    }
    out[account] = [...points.values()]
      .sort((x, y) => x.block - y.block || (x.epoch < y.epoch ? -1 : x.epoch > y.epoch ? 1 : 0))
      .map((p) => ({
        block: p.block,
        epoch: p.epoch.toString(),
        ...Object.fromEntries([...p.sums].map(([k, v]) => [k, v.toString()])),
      }));
  }
  return out;
}

function sortedByKey<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

/**
 * One address's reputation. The counters come from the account figures derived above from the
 * contributions' final state, and are checked against the inputs the model kept event by event
 * (which also drove the history).
 */
function reputationOf(model: TruthModel, address: string, r: ReputationState, a: TruthAccount): TruthReputation {
  const inputs = {
    accepted: a.accepted,
    rejected: a.rejected,
    duplicates: a.duplicates,
    slashes: a.slashes,
    earned: BigInt(a.earnedAsContributor),
    acceptedQualitySum: a.acceptedQualitySum,
  };
  for (const [k, v] of Object.entries(inputs)) {
    if (r[k as keyof typeof inputs] !== v)
      throw new Error(`ground truth: reputation input ${k} of ${address} is ${r[k as keyof typeof inputs]}, not ${v}`);
  }
  const components = computeReputation(inputs);
  // End-of-block scores: the last point of each block, then only the blocks where it moved.
  const history: { block: number; score: number }[] = [];
  for (const p of r.points) {
    const block = model.blockOfTx(p.tx);
    const last = history[history.length - 1];
    if (last !== undefined && block < last.block)
      throw new Error(`ground truth: reputation points of ${address} out of block order`);
    if (last !== undefined && last.block === block) last.score = p.score;
    else history.push({ block, score: p.score });
  }
  // A block whose end score equals the previous entry's is no change (e.g. a score that moved and
  // came back within one block, or came back over several transactions).
  const kept = history.filter((h, i) => i === 0 || h.score !== history[i - 1].score);
  if (kept.length > 0 && kept[kept.length - 1].score !== components.score)
    throw new Error(`ground truth: reputation history of ${address} does not end at its score`);
  return {
    accepted: inputs.accepted,
    rejected: inputs.rejected,
    duplicates: inputs.duplicates,
    slashes: inputs.slashes,
    earned: inputs.earned.toString(),
    acceptedQualitySum: inputs.acceptedQualitySum,
    ...components,
    history: kept,
  };
}
