// Realistic rows for the API tests, written through the TypeORM entities (as the processor would).
import type { DataSource } from 'typeorm';
import {
  Account,
  AccountEpoch,
  Adapter,
  Attribution,
  BridgeAccountToken,
  BridgeTransfer,
  Contribution,
  ContributionStatus,
  Datanet,
  DatanetEpoch,
  DatanetStatus,
  Epoch,
  FeeSplit,
  IndexerStatus,
  Inference,
  Model,
  ModelDatanet,
  ModelEpoch,
  Payout,
  PayoutRole,
  ProtocolState,
  ReputationChange,
} from '../model';
import { bridgeRows } from './test-seed-bridge';
import { epochRows } from './test-seed-epochs';
import { ADDR, addr, at, hash } from './test-values';

/** The rows inserted, for tests to derive expectations from. */
export interface ApiSeed {
  datanets: Datanet[];
  contributions: Contribution[];
  accounts: Account[];
  model: Model;
  adapters: Adapter[];
  inference: Inference;
  /** An inference of a modelId no ModelRegistered announced. */
  orphanInference: Inference;
  attributions: Attribution[];
  payouts: Payout[];
  transfers: BridgeTransfer[];
  bridgeTotals: BridgeAccountToken[];
  feeSplit: FeeSplit;
  protocol: ProtocolState;
  /** Epoch 1 closed, 2 open (the inference's), 10 open and empty. */
  epochs: Epoch[];
  /** Per-account payouts of epochs 1 and 2. */
  accountEpochs: AccountEpoch[];
  datanetEpochs: DatanetEpoch[];
  modelEpochs: ModelEpoch[];
  reputationChanges: ReputationChange[];
  indexerStatus: IndexerStatus;
}

/** Inserts 3 Datanets, 120 contributions, their accounts (with reputation), a model, an inference with 4 attributions and its owner payouts, 30 bridge transfers, epochs with their per-account, per-Datanet and per-model rows, reputation history and the indexer status. */
export async function seedApiFixture(ds: DataSource): Promise<ApiSeed> {
  const datanets = [
    datanet(1, ADDR.ownerA, 'Medical imaging', DatanetStatus.ACTIVE, 2n ** 65n + 7n),
    datanet(2, ADDR.ownerB, 'Solidity audits', DatanetStatus.ACTIVE, 5n * 10n ** 17n),
    datanet(3, ADDR.ownerA, 'Legal contracts', DatanetStatus.PAUSED, 0n),
  ];
  const contributions: Contribution[] = [];
  for (let i = 1; i <= 120; i++) {
    const status =
      i % 4 === 0
        ? ContributionStatus.PENDING
        : i % 4 === 1
          ? ContributionStatus.REJECTED
          : ContributionStatus.ACCEPTED;
    const isDuplicate = i % 10 === 0;
    const dn = datanets[(i - 1) % 3];
    contributions.push(
      new Contribution({
        id: String(i),
        contributionId: BigInt(i),
        datanet: dn,
        contributor: { id: ADDR.contributors[(i - 1) % 5] } as Account,
        dataHash: hash(isDuplicate ? 0xd000 + i - 3 : 0xd000 + i),
        sizeBytes: BigInt(i) * 1024n,
        uri: `ipfs://bafy${i}`,
        status,
        qualityBps: status === ContributionStatus.PENDING ? null : 5000 + i * 10,
        reviewCount: status === ContributionStatus.PENDING ? 0 : 1 + (i % 2),
        lastReviewer: status === ContributionStatus.PENDING ? null : addr('7a1'),
        lastReviewedAtBlock: status === ContributionStatus.PENDING ? null : 300 + i,
        duplicateOf: isDuplicate ? ({ id: String(i - 3) } as Contribution) : null,
        isDuplicate,
        submittedAtBlock: 100 + i,
        submittedAt: at(100 + i),
        txHash: hash(0x7000 + i),
        logIndex: i % 7,
      }),
    );
  }
  for (const dn of datanets) {
    const mine = contributions.filter((c) => c.datanet === dn);
    dn.contributionCount = mine.length;
    dn.pendingCount = mine.filter((c) => c.status === ContributionStatus.PENDING).length;
    dn.acceptedCount = mine.filter((c) => c.status === ContributionStatus.ACCEPTED).length;
    dn.rejectedCount = mine.filter((c) => c.status === ContributionStatus.REJECTED).length;
    dn.duplicateCount = mine.filter((c) => c.isDuplicate).length;
    dn.totalSizeBytes = mine.reduce((s, c) => s + c.sizeBytes, 0n);
  }

  const model = new Model({
    id: '7',
    modelId: 7n,
    owner: ADDR.modelOwner,
    name: 'med-llama-lora',
    datanetIds: ['1', '3', '99'],
    adapterCount: 3,
    latestAdapterVersion: 3,
    inferenceCount: 1,
    totalFees: 0n,
    ownerEarned: 0n,
    contributorsEarned: 0n,
    datanetOwnersEarned: 0n,
    protocolEarned: 0n,
    createdAtBlock: 250,
    createdAt: at(250),
    createdTxHash: hash(0x250),
  });
  const adapters = [1, 2, 3].map(
    (v) =>
      new Adapter({
        id: `7-${v}`,
        model,
        version: v,
        weightsHash: hash(0xa000 + v),
        uri: `ipfs://adapter${v}`,
        blockNumber: 260 + v,
        timestamp: at(260 + v),
        txHash: hash(0x260 + v),
      }),
  );

  // One inference settled under split (p, m, d, c) = (1000, 2000, 2000, 5000) with 4 attributions:
  // contribution 7 (Datanet 1, ACCEPTED), 3 (Datanet 3, ACCEPTED), 5 (Datanet 2, REJECTED) and 999
  // (unknown to the indexer); and one inference of an unregistered model, without attributions.
  const fee = 123456789012345678901234n;
  const infId = hash('ab'.repeat(32).slice(0, 64));
  const C = (fee * 5000n) / 10000n,
    D = (fee * 2000n) / 10000n,
    M = (fee * 2000n) / 10000n;
  const weights: [number, number, boolean][] = [
    [7, 500000, true],
    [3, 300000, true],
    [5, 150000, false],
    [999, 50000, false],
  ];
  const attributions = weights.map(([cid, w, eligible], position) => {
    const c = contributions[cid - 1] as Contribution | undefined;
    return new Attribution({
      id: `${infId}-${position}`,
      inference: { id: infId } as Inference,
      position,
      rawContributionId: BigInt(cid),
      contribution: c ?? null,
      weightPpm: w,
      statusAtAttribution: c?.status ?? null,
      eligible,
      contributor: c?.contributor.id ?? null,
      datanetId: c?.datanet.datanetId ?? null,
      amount: eligible ? (C * BigInt(w)) / 1000000n : 0n,
      epoch: 2n,
      blockNumber: 400,
    });
  });
  const pay = (id: string, role: PayoutRole, account: string, amount: bigint, datanetId?: bigint, weightPpm?: number) =>
    new Payout({
      id: `${infId}-${id}`,
      inference: { id: infId } as Inference,
      account,
      role,
      datanetId: datanetId ?? null,
      weightPpm: weightPpm ?? null,
      amount,
      epoch: 2n,
      blockNumber: 400,
    });
  const payouts = [
    // Contributor payments are the eligible attributions (the API serves them as payouts too).
    pay('C-0', PayoutRole.CONTRIBUTOR, attributions[0].contributor!, attributions[0].amount, 1n, 500000),
    pay('C-1', PayoutRole.CONTRIBUTOR, attributions[1].contributor!, attributions[1].amount, 3n, 300000),
    pay('D-1', PayoutRole.DATANET_OWNER, ADDR.ownerA, (D * 500000n) / 1000000n, 1n, 500000),
    pay('D-3', PayoutRole.DATANET_OWNER, ADDR.ownerA, (D * 300000n) / 1000000n, 3n, 300000),
    pay('M', PayoutRole.MODEL_OWNER, ADDR.modelOwner, M),
  ];
  const sum = (role: PayoutRole) => payouts.filter((p) => p.role === role).reduce((s, p) => s + p.amount, 0n);
  const inference = new Inference({
    id: infId,
    model,
    rawModelId: 7n,
    payer: ADDR.payer,
    fee,
    epoch: 2n,
    protocolBps: 1000,
    modelOwnerBps: 2000,
    datanetOwnerBps: 2000,
    contributorsBps: 5000,
    modelOwner: ADDR.modelOwner,
    modelOwnerAmount: M,
    datanetOwnersAmount: sum(PayoutRole.DATANET_OWNER),
    contributorsAmount: sum(PayoutRole.CONTRIBUTOR),
    protocolAmount: fee - payouts.reduce((s, p) => s + p.amount, 0n),
    hasAttribution: true,
    attributionCount: 4,
    eligibleCount: 2,
    blockNumber: 400,
    timestamp: at(400),
    txHash: hash(0x400),
    logIndex: 3,
  });
  const orphanInference = new Inference({
    ...inference,
    id: hash('cd'.repeat(32)),
    model: null,
    rawModelId: 8n,
    modelOwner: null,
    modelOwnerAmount: 0n,
    datanetOwnersAmount: 0n,
    contributorsAmount: 0n,
    protocolAmount: fee,
    hasAttribution: false,
    attributionCount: 0,
    eligibleCount: 0,
    logIndex: 5,
  });

  const accounts = [...ADDR.contributors, ADDR.ownerA, ADDR.ownerB, ADDR.modelOwner, ADDR.payer].map((id) => {
    const mine = contributions.filter((c) => c.contributor.id === id);
    const earned = (role: PayoutRole) =>
      payouts.filter((p) => p.account === id && p.role === role).reduce((s, p) => s + p.amount, 0n);
    const a = new Account({
      id,
      contributionCount: mine.length,
      pendingCount: mine.filter((c) => c.status === ContributionStatus.PENDING).length,
      acceptedCount: mine.filter((c) => c.status === ContributionStatus.ACCEPTED).length,
      rejectedCount: mine.filter((c) => c.status === ContributionStatus.REJECTED).length,
      duplicateCount: mine.filter((c) => c.isDuplicate).length,
      acceptedQualitySum: mine
        .filter((c) => c.status === ContributionStatus.ACCEPTED)
        .reduce((s, c) => s + BigInt(c.qualityBps!), 0n),
      slashCount: id === ADDR.contributors[4] ? 2 : 0,
      slashedAmount: id === ADDR.contributors[4] ? 3n * 10n ** 18n : 0n,
      eligibleAttributionCount: attributions.filter((x) => x.eligible && x.contributor === id).length,
      earnedAsContributor: earned(PayoutRole.CONTRIBUTOR),
      earnedAsDatanetOwner: earned(PayoutRole.DATANET_OWNER),
      earnedAsModelOwner: earned(PayoutRole.MODEL_OWNER),
      earnedTotal: 0n,
      claimedTotal: 0n,
      inferencesPaid: id === ADDR.payer ? 1 : 0,
      feesPaid: id === ADDR.payer ? fee : 0n,
      firstSeenBlock: 101,
      lastActivityBlock: 400,
    });
    a.earnedTotal = a.earnedAsContributor + a.earnedAsDatanetOwner + a.earnedAsModelOwner;
    return a;
  });

  const { transfers, bridgeTotals } = bridgeRows();

  const feeSplit = new FeeSplit({
    id: '0000000050-000001',
    protocolBps: 1000,
    modelOwnerBps: 2000,
    datanetOwnerBps: 2000,
    contributorsBps: 5000,
    blockNumber: 50,
    timestamp: at(50),
    txHash: hash(0x50),
  });
  const protocol = new ProtocolState({
    id: 'global',
    currentFeeSplit: feeSplit,
    datanetCount: 3,
    contributionCount: 120,
    modelCount: 1,
    inferenceCount: 1,
    attributedInferenceCount: 1,
    totalFees: fee,
    totalToContributors: inference.contributorsAmount,
    totalToDatanetOwners: inference.datanetOwnersAmount,
    totalToModelOwners: M,
    totalToProtocol: inference.protocolAmount,
    totalClaimed: 0n,
    anomalyCount: 2,
    reviewAcceptedCount: 7,
    reviewRejectedCount: 3,
    // The bridge rows below: 10 deposits, 20 withdrawals.
    bridgeDepositCount: 10,
    bridgeWithdrawalCount: 20,
  });
  const { epochs, accountEpochs, datanetEpochs, modelEpochs, reputationChanges } = epochRows(
    accounts,
    datanets,
    model,
    {
      inferenceCount: 1,
      totalFees: fee,
      accruedToAccounts: fee - inference.protocolAmount,
      protocolAmount: inference.protocolAmount,
    },
  );
  const indexerStatus = new IndexerStatus({
    id: 'head',
    height: 500,
    hash: hash(0x500500),
    timestamp: at(500),
    eventCount: 98765432109876543210n,
  });

  await ds.transaction(async (em) => {
    await em.insert(Datanet, datanets);
    await em.insert(Account, accounts);
    await em.insert(
      Contribution,
      contributions.filter((c) => !c.isDuplicate),
    );
    await em.insert(
      Contribution,
      contributions.filter((c) => c.isDuplicate),
    );
    await em.insert(Model, model);
    await em.insert(
      ModelDatanet,
      [1n, 3n].map((d) => new ModelDatanet({ id: `7-${d}`, model, datanet: datanets[Number(d) - 1] })),
    );
    await em.insert(Adapter, adapters);
    await em.insert(Inference, [inference, orphanInference]);
    await em.insert(Attribution, attributions);
    await em.insert(
      Payout,
      payouts.filter((p) => p.role !== PayoutRole.CONTRIBUTOR),
    );
    await em.insert(BridgeTransfer, transfers);
    await em.insert(BridgeAccountToken, bridgeTotals);
    await em.insert(FeeSplit, feeSplit);
    await em.insert(ProtocolState, protocol);
    await em.insert(Epoch, epochs);
    await em.insert(AccountEpoch, accountEpochs);
    await em.insert(DatanetEpoch, datanetEpochs);
    await em.insert(ModelEpoch, modelEpochs);
    await em.insert(ReputationChange, reputationChanges);
    await em.insert(IndexerStatus, indexerStatus);
  });
  return {
    datanets,
    contributions,
    accounts,
    model,
    adapters,
    inference,
    orphanInference,
    attributions,
    payouts,
    transfers,
    bridgeTotals,
    feeSplit,
    protocol,
    epochs,
    accountEpochs,
    datanetEpochs,
    modelEpochs,
    reputationChanges,
    indexerStatus,
  };
}

function datanet(n: number, owner: string, name: string, status: DatanetStatus, ownerEarned: bigint): Datanet {
  return new Datanet({
    id: String(n),
    datanetId: BigInt(n),
    owner,
    name,
    metadataUri: `ipfs://datanet${n}`,
    status,
    validatorCount: n,
    contributionCount: 0,
    pendingCount: 0,
    acceptedCount: 0,
    rejectedCount: 0,
    duplicateCount: 0,
    totalSizeBytes: 0n,
    acceptedSizeBytes: 0n,
    slashCount: n - 1,
    slashedAmount: BigInt(n - 1) * 10n ** 18n,
    attributionCount: n === 2 ? 0 : 1,
    ownerEarned,
    contributorsEarned: 0n,
    earnedTotal: ownerEarned,
    createdAtBlock: 10 * n,
    createdAt: at(10 * n),
    createdTxHash: hash(0x10 * n),
  });
}
