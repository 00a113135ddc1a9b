import type { AttributionRecorded, FeeSplitSet, InferenceSettled } from '../../decode/events';
import {
  computeAttributionPayouts,
  computeFeeShares,
  validateAttribution,
  validateFeeSplit,
  type AttributedContribution,
} from '../../domain/attribution';
import { Attribution, ContributionStatus, FeeSplit, Inference, Payout, PayoutRole } from '../../model';
import { positionId } from '../ids';
import type { BatchState } from '../state';

/** FeeSplitSet: the split in force for inferences settled after it. */
export function applyFeeSplitSet(s: BatchState, { args, loc }: FeeSplitSet): void {
  const invalid = validateFeeSplit(args);
  if (invalid) {
    // The contract enforces the sum; a bad one is recorded and ignored (the previous split stays in force).
    s.anomaly('INVALID_FEE_SPLIT', invalid, loc);
    return;
  }
  const split = s.feeSplits.add(
    new FeeSplit({
      id: positionId(loc.blockNumber, loc.logIndex),
      ...args,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
    }),
  );
  const p = s.protocol;
  p.currentFeeSplit = split;
  s.protocolTable.touch(p);
}

/** InferenceSettled: fee shares under the split in force; the model owner is paid M now, the protocol the rest until attribution. */
export function applyInferenceSettled(s: BatchState, { args, loc }: InferenceSettled): void {
  const id = args.inferenceId;
  if (s.inferences.get(id)) {
    s.anomaly('DUPLICATE_INFERENCE', `inference ${id} settled twice`, loc);
    return;
  }
  const p = s.protocol;
  const split = p.currentFeeSplit ?? null;
  const shares = computeFeeShares(args.fee, split);
  const model = s.models.get(args.modelId.toString());
  if (!model) s.anomaly('UNKNOWN_MODEL', `inference ${id} settled for unknown model ${args.modelId}`, loc);
  const modelOwnerAmount = model ? shares.modelOwner : 0n;
  const epoch = s.epoch(args.epoch);
  if (epoch.closed)
    s.anomaly('SETTLED_INTO_CLOSED_EPOCH', `inference ${id} settled into closed epoch ${args.epoch}`, loc);
  const inference = s.inferences.put(
    new Inference({
      id,
      model: model ?? null,
      rawModelId: args.modelId,
      payer: args.payer,
      fee: args.fee,
      epoch: args.epoch,
      protocolBps: split?.protocolBps ?? 10_000,
      modelOwnerBps: split?.modelOwnerBps ?? 0,
      datanetOwnerBps: split?.datanetOwnerBps ?? 0,
      contributorsBps: split?.contributorsBps ?? 0,
      modelOwner: model?.owner ?? null,
      modelOwnerAmount,
      datanetOwnersAmount: 0n,
      contributorsAmount: 0n,
      protocolAmount: args.fee - modelOwnerAmount,
      hasAttribution: false,
      attributionCount: 0,
      eligibleCount: 0,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: loc.logIndex,
    }),
  );
  const payer = s.account(args.payer, loc.blockNumber);
  payer.inferencesPaid++;
  payer.feesPaid += args.fee;
  if (model) {
    model.inferenceCount++;
    model.totalFees += args.fee;
    model.protocolEarned += inference.protocolAmount;
    if (modelOwnerAmount > 0n) {
      model.ownerEarned += modelOwnerAmount;
      const owner = s.account(model.owner, loc.blockNumber);
      owner.earnedAsModelOwner += modelOwnerAmount;
      owner.earnedTotal += modelOwnerAmount;
      s.accrue(args.epoch, owner, PayoutRole.MODEL_OWNER, modelOwnerAmount, loc.blockNumber);
      s.payouts.add(
        new Payout({
          id: `${id}-M`,
          inference,
          account: model.owner,
          role: PayoutRole.MODEL_OWNER,
          datanetId: null,
          weightPpm: null,
          amount: modelOwnerAmount,
          epoch: args.epoch,
          blockNumber: loc.blockNumber,
        }),
      );
    }
    s.models.touch(model);
    const me = s.modelEpoch(model, args.epoch);
    me.inferenceCount++;
    me.fees += args.fee;
    me.ownerEarned += modelOwnerAmount;
    me.protocolEarned += inference.protocolAmount;
  }
  s.stats.inferenceSettled(
    loc.timestamp,
    model ? model.id : null,
    args.fee,
    modelOwnerAmount,
    inference.protocolAmount,
  );
  epoch.inferenceCount++;
  epoch.totalFees += args.fee;
  epoch.accruedToAccounts += modelOwnerAmount;
  epoch.protocolAmount += inference.protocolAmount;
  p.inferenceCount++;
  p.totalFees += args.fee;
  p.totalToModelOwners += modelOwnerAmount;
  p.totalToProtocol += inference.protocolAmount;
  s.protocolTable.touch(p);
}

/** AttributionRecorded: pays eligible contributors and their Datanets' owners; the protocol keeps the rest. */
export function applyAttributionRecorded(s: BatchState, { args, loc }: AttributionRecorded): void {
  const inference = s.inferences.get(args.inferenceId);
  if (!inference) {
    s.anomaly('ATTRIBUTION_WITHOUT_INFERENCE', `attribution for unknown inference ${args.inferenceId}`, loc);
    return;
  }
  if (inference.hasAttribution) {
    s.anomaly('DUPLICATE_ATTRIBUTION', `second attribution for inference ${inference.id}`, loc);
    return;
  }
  const invalid = validateAttribution(args.contributionIds, args.weightsPpm);
  if (invalid) {
    s.anomaly('INVALID_ATTRIBUTION', `inference ${inference.id}: ${invalid}`, loc);
    return;
  }
  const shares = computeFeeShares(inference.fee, inference);
  const items = args.contributionIds.map((cid, i) => {
    const c = s.contributions.get(cid.toString());
    if (!c) s.anomaly('UNKNOWN_CONTRIBUTION', `inference ${inference.id} attributes unknown contribution ${cid}`, loc);
    const contribution: AttributedContribution | null = c
      ? { status: c.status, contributor: c.contributor.id, datanetId: c.datanet.id }
      : null;
    return { weightPpm: args.weightsPpm[i], contribution, entity: c };
  });
  const outcome = computeAttributionPayouts({
    shares,
    items,
    datanetOwner: (datanetId) => s.datanets.get(datanetId)?.owner,
  });
  const epochNo = inference.epoch;
  items.forEach((item, i) => {
    const c = item.entity;
    const { eligible, amount } = outcome.items[i];
    s.attributions.add(
      new Attribution({
        id: `${inference.id}-${i}`,
        inference,
        position: i,
        rawContributionId: args.contributionIds[i],
        contribution: c ?? null,
        weightPpm: item.weightPpm,
        statusAtAttribution: c ? ContributionStatus[c.status] : null,
        eligible,
        contributor: c?.contributor.id ?? null,
        datanetId: c ? c.datanet.datanetId : null,
        amount,
        epoch: epochNo,
        blockNumber: loc.blockNumber,
      }),
    );
    if (!c || !eligible) return;
    // The Attribution row is the contributor's payment; only the aggregates are kept elsewhere.
    const account = s.heldAccount(c.contributor, loc.blockNumber);
    account.eligibleAttributionCount++;
    account.earnedAsContributor += amount;
    account.earnedTotal += amount;
    s.accrue(epochNo, account, PayoutRole.CONTRIBUTOR, amount, loc.blockNumber);
    if (amount > 0n) s.reputationInput(account.id);
    const d = c.datanet; // the held row, like the contributor (see heldAccount)
    d.attributionCount++;
    d.contributorsEarned += amount;
    d.earnedTotal += amount;
    s.datanets.touch(d);
    if (amount > 0n) s.datanetAccountEarned(c, amount);
    const de = s.datanetEpoch(d, epochNo);
    de.eligibleAttributionCount++;
    de.contributorsEarned += amount;
    if (amount > 0n) s.stats.datanetContributorPaid(loc.timestamp, d.id, amount);
  });
  for (const share of outcome.datanetShares) {
    const d = s.datanets.get(share.datanetId)!;
    d.ownerEarned += share.amount;
    d.earnedTotal += share.amount;
    s.datanets.touch(d);
    const owner = s.account(share.owner, loc.blockNumber);
    owner.earnedAsDatanetOwner += share.amount;
    owner.earnedTotal += share.amount;
    s.accrue(epochNo, owner, PayoutRole.DATANET_OWNER, share.amount, loc.blockNumber);
    s.datanetEpoch(d, epochNo).ownerEarned += share.amount;
    s.stats.datanetAttributed(loc.timestamp, d.id, share.amount);
    if (share.amount > 0n)
      s.payouts.add(
        new Payout({
          id: `${inference.id}-D-${share.datanetId}`,
          inference,
          account: share.owner,
          role: PayoutRole.DATANET_OWNER,
          datanetId: d.datanetId,
          weightPpm: share.weightPpm,
          amount: share.amount,
          epoch: epochNo,
          blockNumber: loc.blockNumber,
        }),
      );
  }
  const paid = outcome.contributorsTotal + outcome.datanetOwnersTotal;
  inference.hasAttribution = true;
  inference.attributionCount = items.length;
  inference.eligibleCount = outcome.eligibleCount;
  inference.contributorsAmount = outcome.contributorsTotal;
  inference.datanetOwnersAmount = outcome.datanetOwnersTotal;
  inference.protocolAmount -= paid;
  s.inferences.touch(inference);
  const model = inference.model ? s.models.get(inference.model.id) : undefined;
  s.stats.attributed(loc.timestamp, model ? model.id : null, outcome.contributorsTotal, outcome.datanetOwnersTotal);
  if (model) {
    model.contributorsEarned += outcome.contributorsTotal;
    model.datanetOwnersEarned += outcome.datanetOwnersTotal;
    model.protocolEarned -= paid;
    s.models.touch(model);
    const me = s.modelEpoch(model, epochNo);
    me.contributorsEarned += outcome.contributorsTotal;
    me.datanetOwnersEarned += outcome.datanetOwnersTotal;
    me.protocolEarned -= paid;
  }
  const epoch = s.epoch(epochNo);
  epoch.accruedToAccounts += paid;
  epoch.protocolAmount -= paid;
  const p = s.protocol;
  p.attributedInferenceCount++;
  p.totalToContributors += outcome.contributorsTotal;
  p.totalToDatanetOwners += outcome.datanetOwnersTotal;
  p.totalToProtocol -= paid;
  s.protocolTable.touch(p);
}
