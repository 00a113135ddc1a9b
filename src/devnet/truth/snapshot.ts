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
 */
import type {
  GroundTruth,
  TruthAccount,
  TruthBridgeToken,
  TruthContribution,
  TruthDatanet,
  TruthEpoch,
  TruthInference,
  TruthModel as TruthModelJson,
} from '../types';
import type { TruthModel } from './model';

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
  for (const [no, e] of model.epochs) {
    const accs: Record<string, string> = {};
    for (const [a, v] of [...e.accruals].sort(([x], [y]) => (x < y ? -1 : 1))) if (v > 0n) accs[a] = v.toString();
    let claimed = 0n;
    for (const v of e.claims.values()) claimed += v;
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
      accounts: accs,
      claims: e.claims.size,
      claimed: claimed.toString(),
    };
  }

  const bridgeAccounts: Record<string, Record<string, TruthBridgeToken>> = {};
  for (const [account, perToken] of model.bridge) {
    const out: Record<string, TruthBridgeToken> = {};
    for (const [token, t] of perToken) {
      out[token] = {
        deposited: t.deposited.toString(),
        depositCount: t.depositCount,
        withdrawn: t.withdrawn.toString(),
        withdrawalCount: t.withdrawalCount,
      };
    }
    bridgeAccounts[account] = out;
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
      events: model.events,
    },
    anomalies: { ...model.anomalies },
    accounts,
    datanets,
    models,
    contributions,
    inferences,
    epochs,
    bridge: { accounts: bridgeAccounts, withdrawalHashes: [...model.withdrawalHashes] },
  };
}
