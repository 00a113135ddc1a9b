import type {
  ContributionReviewed,
  ContributionSubmitted,
  ContributorSlashed,
  DatanetCreated,
  DatanetStatusChanged,
  ValidatorSet,
} from '../../decode/events';
import { dataHashKey, datanetStatusFromCode, statusAfterReview, statusCountDeltas } from '../../domain/datanets';
import {
  Contribution,
  ContributionReview,
  ContributionStatus,
  DataHashFirst,
  Datanet,
  DatanetStatus,
  DatanetValidator,
  Slash,
  type Account,
} from '../../model';
import { positionId } from '../ids';
import type { BatchState } from '../state';

/** DatanetCreated: a new Datanet, Active. */
export function applyDatanetCreated(s: BatchState, { args, loc }: DatanetCreated): void {
  const id = args.datanetId.toString();
  if (s.datanets.get(id)) {
    s.anomaly('DUPLICATE_DATANET', `Datanet ${id} created twice`, loc);
    return;
  }
  s.account(args.owner, loc.blockNumber);
  s.datanets.put(
    new Datanet({
      id,
      datanetId: args.datanetId,
      owner: args.owner,
      name: args.name,
      metadataUri: args.metadataURI,
      status: DatanetStatus.ACTIVE,
      validatorCount: 0,
      contributionCount: 0,
      pendingCount: 0,
      acceptedCount: 0,
      rejectedCount: 0,
      duplicateCount: 0,
      totalSizeBytes: 0n,
      acceptedSizeBytes: 0n,
      slashCount: 0,
      slashedAmount: 0n,
      attributionCount: 0,
      ownerEarned: 0n,
      contributorsEarned: 0n,
      earnedTotal: 0n,
      createdAtBlock: loc.blockNumber,
      createdAt: new Date(loc.timestamp),
      createdTxHash: loc.txHash,
    }),
  );
  const p = s.protocol;
  p.datanetCount++;
  s.protocolTable.touch(p);
}

function knownDatanet(s: BatchState, datanetId: bigint, what: string, loc: DatanetCreated['loc']): Datanet | undefined {
  const d = s.datanets.get(datanetId.toString());
  if (!d) s.anomaly('UNKNOWN_DATANET', `${what} for unknown Datanet ${datanetId}`, loc);
  return d;
}

/** DatanetStatusChanged: 0 Active, 1 Paused, 2 Closed. */
export function applyDatanetStatusChanged(s: BatchState, { args, loc }: DatanetStatusChanged): void {
  const d = knownDatanet(s, args.datanetId, 'status change', loc);
  if (!d) return;
  const status = datanetStatusFromCode(args.status);
  if (!status) {
    s.anomaly('INVALID_DATANET_STATUS', `status code ${args.status} for Datanet ${d.id}`, loc);
    return;
  }
  d.status = DatanetStatus[status];
  s.datanets.touch(d);
}

/** ValidatorSet: enable/disable a validator; keeps the Datanet's enabled-validator count. */
export function applyValidatorSet(s: BatchState, { args, loc }: ValidatorSet): void {
  const d = knownDatanet(s, args.datanetId, 'validator change', loc);
  if (!d) return;
  const id = `${d.id}-${args.validator}`;
  const v = s.validators.get(id);
  const was = v?.enabled ?? false;
  if (was !== args.enabled) d.validatorCount += args.enabled ? 1 : -1;
  s.datanets.touch(d);
  s.validators.put(
    new DatanetValidator({
      id,
      datanet: d,
      validator: args.validator,
      enabled: args.enabled,
      updatedAtBlock: loc.blockNumber,
    }),
  );
}

function addStatusCounts(target: Datanet | Account, deltas: Record<ContributionStatus, number>): void {
  target.pendingCount += deltas.PENDING;
  target.acceptedCount += deltas.ACCEPTED;
  target.rejectedCount += deltas.REJECTED;
}

/** ContributionSubmitted: a PENDING contribution; a repeated (Datanet, dataHash) is a duplicate of the first. */
export function applyContributionSubmitted(s: BatchState, { args, loc }: ContributionSubmitted): void {
  const id = args.contributionId.toString();
  if (s.contributions.get(id)) {
    s.anomaly('DUPLICATE_CONTRIBUTION_ID', `contribution ${id} submitted twice`, loc);
    return;
  }
  const d = knownDatanet(s, args.datanetId, `contribution ${id}`, loc);
  if (!d) return;
  const account = s.account(args.contributor, loc.blockNumber);
  const key = dataHashKey(args.datanetId, args.dataHash);
  const first = s.dataHashFirst.get(key)?.contribution;
  const c = s.contributions.put(
    new Contribution({
      id,
      contributionId: args.contributionId,
      datanet: d,
      contributor: account,
      dataHash: args.dataHash,
      sizeBytes: args.sizeBytes,
      uri: args.uri,
      status: ContributionStatus.PENDING,
      qualityBps: null,
      reviewCount: 0,
      lastReviewer: null,
      lastReviewedAtBlock: null,
      duplicateOf: first ?? null,
      isDuplicate: !!first,
      submittedAtBlock: loc.blockNumber,
      submittedAt: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: loc.logIndex,
    }),
  );
  if (!first) s.dataHashFirst.put(new DataHashFirst({ id: key, contribution: c }));
  const deltas = statusCountDeltas(null, 'PENDING');
  for (const t of [d, account]) {
    t.contributionCount++;
    addStatusCounts(t, deltas);
    if (first) t.duplicateCount++;
  }
  d.totalSizeBytes += args.sizeBytes;
  s.datanets.touch(d);
  s.reputationInput(account.id);
  s.stats.contributionSubmitted(loc.timestamp, d.id);
  const p = s.protocol;
  p.contributionCount++;
  s.protocolTable.touch(p);
}

/** ContributionReviewed: the latest review sets status and quality; counters move with the status. */
export function applyContributionReviewed(s: BatchState, { args, loc }: ContributionReviewed): void {
  const c = s.contributions.get(args.contributionId.toString());
  if (!c) {
    s.anomaly('UNKNOWN_CONTRIBUTION', `review of unknown contribution ${args.contributionId}`, loc);
    return;
  }
  if (args.qualityBps > 10_000) {
    s.anomaly('INVALID_QUALITY', `qualityBps ${args.qualityBps} > 10000 for contribution ${c.id}`, loc);
  }
  const d = s.datanets.get(c.datanet.id)!;
  const account = s.heldAccount(c.contributor, loc.blockNumber);
  const from = c.status;
  const to = statusAfterReview(args.accepted);
  if (from === ContributionStatus.ACCEPTED) {
    account.acceptedQualitySum -= BigInt(c.qualityBps ?? 0);
    d.acceptedSizeBytes -= c.sizeBytes;
  }
  if (to === 'ACCEPTED') {
    account.acceptedQualitySum += BigInt(args.qualityBps);
    d.acceptedSizeBytes += c.sizeBytes;
  }
  const deltas = statusCountDeltas(from, to);
  addStatusCounts(d, deltas);
  addStatusCounts(account, deltas);
  c.status = ContributionStatus[to];
  c.qualityBps = args.qualityBps;
  c.reviewCount++;
  c.lastReviewer = args.validator;
  c.lastReviewedAtBlock = loc.blockNumber;
  s.contributions.touch(c);
  s.datanets.touch(d);
  s.reputationInput(account.id);
  s.stats.reviewed(loc.timestamp, d.id, args.accepted);
  const p = s.protocol;
  if (args.accepted) p.reviewAcceptedCount++;
  else p.reviewRejectedCount++;
  s.protocolTable.touch(p);
  s.reviews.add(
    new ContributionReview({
      id: positionId(loc.blockNumber, loc.logIndex),
      contribution: c,
      validator: args.validator,
      accepted: args.accepted,
      qualityBps: args.qualityBps,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: loc.logIndex,
    }),
  );
}

/** ContributorSlashed: counted on the Datanet and the contributor. */
export function applyContributorSlashed(s: BatchState, { args, loc }: ContributorSlashed): void {
  const d = knownDatanet(s, args.datanetId, 'slash', loc);
  if (!d) return;
  const account = s.account(args.contributor, loc.blockNumber);
  account.slashCount++;
  account.slashedAmount += args.amount;
  s.reputationInput(account.id);
  d.slashCount++;
  d.slashedAmount += args.amount;
  s.datanets.touch(d);
  s.slashes.add(
    new Slash({
      id: positionId(loc.blockNumber, loc.logIndex),
      datanet: d,
      contributor: account,
      amount: args.amount,
      reason: args.reason,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: loc.logIndex,
    }),
  );
}
