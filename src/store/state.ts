import type { Store } from '@subsquid/typeorm-store';
import { computeReputation } from '../domain/reputation';
import {
  Account,
  AccountEpoch,
  Adapter,
  Anomaly,
  Attribution,
  BridgeAccountToken,
  BridgeTokenTotal,
  BridgeTransfer,
  Contribution,
  ContributionReview,
  CreditPurchase,
  DataHashFirst,
  Datanet,
  DatanetAccount,
  DatanetCreationFee,
  DatanetEpoch,
  DatanetValidator,
  Epoch,
  FeeSplit,
  Inference,
  IndexerStatus,
  Model,
  ModelDatanet,
  ModelEpoch,
  Payout,
  PayoutRole,
  ProtocolState,
  ReputationChange,
  RewardClaim,
  Slash,
} from '../model';
import type { EventLocation } from '../decode/events';
import type { EntityManager } from 'typeorm';
import { executePrepared, type PreparedWrite } from './bulk';
import {
  accountEpochId,
  datanetAccountId,
  datanetEpochId,
  modelEpochId,
  positionId,
  reputationChangeId,
  GLOBAL_ID,
} from './ids';
import { accountEpochLinks, datanetAccountLinks, datanetEpochLinks, modelEpochLinks } from './rowLinks';
import { StatsBuckets } from './stats';
import { AppendOnly, Table } from './table';

/** What persists one kind: a Table or an AppendOnly. */
interface Writer {
  persist(store: Store): Promise<number>;
  prepare(em: EntityManager, maybeYield: () => Promise<void> | undefined): Promise<PreparedWrite[]>;
}

/** A batch's writes, formatted (see PreparedWrite), in write order. */
export interface PreparedBatch {
  writes: { name: string; write: PreparedWrite }[];
  rows: Record<string, number>;
}

/** Executes a prepared batch in the store's transaction; returns the time spent per kind (ms). */
export async function executeWrites(store: Store, batch: PreparedBatch): Promise<Record<string, number>> {
  const ms: Record<string, number> = {};
  for (const { name, write } of batch.writes) {
    const started = performance.now();
    await executePrepared(store, write);
    ms[name] = (ms[name] ?? 0) + Math.round(performance.now() - started);
  }
  return ms;
}

/** How long an inference without attribution stays cached (blocks). */
const INFERENCE_RETENTION_BLOCKS = 1_000;

/** Everything one batch reads and writes, held in memory between one load and one persist. */
export class BatchState {
  readonly accounts = new Table(Account);
  readonly datanets = new Table(Datanet);
  readonly validators = new Table(DatanetValidator);
  readonly contributions = new Table(Contribution, { datanet: true, contributor: true, duplicateOf: true });
  readonly dataHashFirst = new Table(DataHashFirst, { contribution: true });
  readonly models = new Table(Model);
  readonly epochs = new Table(Epoch);
  readonly inferences = new Table(Inference, { model: true });
  readonly bridgeTokens = new Table(BridgeAccountToken);
  readonly bridgeTokenTotals = new Table(BridgeTokenTotal);
  /** Time-series buckets (UTC hour and day per scope), see StatsBuckets. */
  readonly stats = new StatsBuckets();
  readonly accountEpochs = new Table(AccountEpoch);
  readonly datanetEpochs = new Table(DatanetEpoch, { datanet: true });
  readonly modelEpochs = new Table(ModelEpoch, { model: true });
  readonly datanetAccounts = new Table(DatanetAccount, { datanet: true });
  readonly protocolTable = new Table(ProtocolState, { currentFeeSplit: true });
  readonly statusTable = new Table(IndexerStatus);

  readonly feeSplits = new AppendOnly<FeeSplit>();
  readonly reviews = new AppendOnly<ContributionReview>();
  readonly slashes = new AppendOnly<Slash>();
  readonly modelDatanets = new AppendOnly<ModelDatanet>();
  readonly adapters = new AppendOnly<Adapter>();
  readonly attributions = new AppendOnly<Attribution>();
  readonly payouts = new AppendOnly<Payout>();
  readonly claims = new AppendOnly<RewardClaim>();
  readonly transfers = new AppendOnly<BridgeTransfer>();
  readonly creditPurchases = new AppendOnly<CreditPurchase>();
  readonly creationFees = new AppendOnly<DatanetCreationFee>();
  readonly anomalies = new AppendOnly<Anomaly>();
  readonly reputationChanges = new AppendOnly<ReputationChange>();

  /** Contributors whose reputation inputs changed in the block being folded. */
  private readonly reputationDirty = new Set<string>();

  /** Anomalies per chain position in this batch (a log's anomalies always fall in one batch). */
  private anomalySeq = new Map<string, number>();
  /** Time spent writing each kind in the last persist (ms). */
  readonly persistMs: Record<string, number> = {};

  constructor(public store: Store) {}

  /**
   * Reuses this state for the next batch: rows of the kinds kept across batches stay in memory (they
   * equal what the previous batch committed), everything else starts empty. The caller must only do
   * this when the previous batch committed (or its commit is in flight, see PipelinedDatabase) and
   * the next one continues after it (no retry, no rollback).
   */
  nextBatch(store: Store, firstBlock: number): void {
    this.store = store;
    // Only inferences still waiting for their attribution, settled in the last
    // INFERENCE_RETENTION_BLOCKS, are kept (the next batches are likely to read them); the others are
    // dropped with their known ids (one a later batch reads is loaded again, which marks it known).
    this.inferences.retain((i) => !i.hasAttribution && i.blockNumber >= firstBlock - INFERENCE_RETENTION_BLOCKS);
    // First submissions of a data hash are only read again by a duplicate of it; a duplicate whose
    // original is not held loads it like any row (one indexed lookup). Holding them all would double
    // the cache for a few hits.
    this.dataHashFirst.retain(() => false);
    this.stats.retain();
    this.anomalySeq.clear();
    for (const k of Object.keys(this.persistMs)) delete this.persistMs[k];
  }

  /**
   * Continues with the next batch after a held one (see WritePipeline.hold): nothing was written, so
   * every change (dirty rows, queued inserts) stays for the commit that comes.
   */
  continueHeld(store: Store): void {
    this.store = store;
    this.anomalySeq.clear();
  }

  /**
   * Formats the append-only kinds' rows as they are added (pipelined batches, `em` for the entity
   * metadata) or keeps them as objects for `persist` (`null`); see AppendOnly. Anomalies are always
   * kept (few, and counted per batch). Call before folding a batch.
   */
  formatAppendsWith(em: EntityManager | null): void {
    for (const [, writer] of this.writers()) {
      if (writer instanceof AppendOnly && writer !== this.anomalies) writer.formatWith(em);
    }
  }

  /** Rows held in memory across batches. */
  cachedRows(): number {
    return (
      this.accounts.map.size +
      this.inferences.map.size +
      this.datanets.map.size +
      this.validators.map.size +
      this.contributions.map.size +
      this.dataHashFirst.map.size +
      this.models.map.size +
      this.epochs.map.size +
      this.accountEpochs.map.size +
      this.datanetEpochs.map.size +
      this.modelEpochs.map.size +
      this.datanetAccounts.map.size +
      this.bridgeTokens.map.size +
      this.bridgeTokenTotals.map.size +
      this.stats.table.map.size
    );
  }

  /** The protocol-wide row (created on first use). */
  get protocol(): ProtocolState {
    const p = this.protocolTable.get(GLOBAL_ID);
    if (p) return p;
    return this.protocolTable.put(
      new ProtocolState({
        id: GLOBAL_ID,
        currentFeeSplit: null,
        datanetCount: 0,
        contributionCount: 0,
        modelCount: 0,
        inferenceCount: 0,
        attributedInferenceCount: 0,
        totalFees: 0n,
        totalToContributors: 0n,
        totalToDatanetOwners: 0n,
        totalToModelOwners: 0n,
        totalToProtocol: 0n,
        totalClaimed: 0n,
        anomalyCount: 0,
        reviewAcceptedCount: 0,
        reviewRejectedCount: 0,
        bridgeDepositCount: 0,
        bridgeWithdrawalCount: 0,
      }),
    );
  }

  /** Returns the account row (loaded beforehand or new), marked changed. */
  account(address: string, blockNumber: number): Account {
    const have = this.accounts.get(address);
    if (have) {
      have.lastActivityBlock = Math.max(have.lastActivityBlock, blockNumber);
      return this.accounts.touch(have);
    }
    return this.accounts.put(
      new Account({
        id: address,
        contributionCount: 0,
        pendingCount: 0,
        acceptedCount: 0,
        rejectedCount: 0,
        duplicateCount: 0,
        acceptedQualitySum: 0n,
        slashCount: 0,
        slashedAmount: 0n,
        eligibleAttributionCount: 0,
        earnedAsContributor: 0n,
        earnedAsDatanetOwner: 0n,
        earnedAsModelOwner: 0n,
        earnedTotal: 0n,
        claimedTotal: 0n,
        inferencesPaid: 0,
        feesPaid: 0n,
        firstSeenBlock: blockNumber,
        lastActivityBlock: blockNumber,
      }),
    );
  }

  /**
   * Like `account`, for an account row the caller already holds through a relation of a held row (a
   * contribution's contributor: the prefetch adopts those, so it is the accounts table's own row). No
   * lookup by address; should the row not be the held one, the write refuses it (Table.changed).
   */
  heldAccount(row: Account, blockNumber: number): Account {
    row.lastActivityBlock = Math.max(row.lastActivityBlock, blockNumber);
    return this.accounts.touch(row);
  }

  /** Returns the epoch row (loaded beforehand or new), marked changed. */
  epoch(epoch: bigint): Epoch {
    const id = epoch.toString();
    const have = this.epochs.get(id);
    if (have) return this.epochs.touch(have);
    return this.epochs.put(
      new Epoch({
        id,
        epoch,
        inferenceCount: 0,
        totalFees: 0n,
        accruedToAccounts: 0n,
        protocolAmount: 0n,
        closed: false,
        postedRoot: null,
        postedTotal: null,
        recomputedRoot: null,
        recomputedTotal: null,
        reconciled: null,
        closedAtBlock: null,
        earningAccounts: 0,
        claimedTotal: 0n,
        claimCount: 0,
      }),
    );
  }

  /**
   * Adds a payment to the account's row of the epoch (its Merkle leaf), in the role's column. The
   * epoch counts the account as earning when its first positive amount arrives.
   */
  accrue(epoch: bigint, account: Account, role: PayoutRole, amount: bigint, blockNumber: number): void {
    if (amount === 0n) return;
    let row = accountEpochLinks.get(account, epoch);
    if (row) {
      this.accountEpochs.touch(row);
    } else {
      row = this.accountEpochRow(epoch, account, blockNumber);
      accountEpochLinks.set(account, epoch, row);
    }
    row.lastAccruedAtBlock = blockNumber;
    if (role === PayoutRole.CONTRIBUTOR) row.asContributor += amount;
    else if (role === PayoutRole.DATANET_OWNER) row.asDatanetOwner += amount;
    else row.asModelOwner += amount;
    row.total += amount;
  }

  /** The account's row of the epoch (loaded beforehand or new), marked changed. */
  private accountEpochRow(epoch: bigint, account: Account, blockNumber: number): AccountEpoch {
    const id = accountEpochId(epoch, account.id);
    let row = this.accountEpochs.get(id);
    if (row) {
      this.accountEpochs.touch(row);
    } else {
      row = this.accountEpochs.put(
        new AccountEpoch({
          id,
          epoch,
          account: account.id,
          asContributor: 0n,
          asDatanetOwner: 0n,
          asModelOwner: 0n,
          total: 0n,
          claimed: 0n,
          claimCount: 0,
          lastClaimAtBlock: null,
          firstAccruedAtBlock: blockNumber,
          lastAccruedAtBlock: null,
        }),
      );
      this.epoch(epoch).earningAccounts++;
    }
    return row;
  }

  /** Every account row of an epoch held by the batch (the prefetch loads all rows of a closing epoch). */
  epochAccounts(epoch: bigint): AccountEpoch[] {
    return [...this.accountEpochs.map.values()].filter((a) => a.epoch === epoch);
  }

  /** The Datanet's row for the epoch (loaded beforehand or new), marked changed. */
  datanetEpoch(datanet: Datanet, epoch: bigint): DatanetEpoch {
    const linked = datanetEpochLinks.get(datanet, epoch);
    if (linked) return this.datanetEpochs.touch(linked);
    const id = datanetEpochId(datanet.id, epoch);
    const have = this.datanetEpochs.get(id);
    const row = have
      ? this.datanetEpochs.touch(have)
      : this.datanetEpochs.put(
          new DatanetEpoch({
            id,
            datanet,
            epoch,
            eligibleAttributionCount: 0,
            contributorsEarned: 0n,
            ownerEarned: 0n,
          }),
        );
    return datanetEpochLinks.set(datanet, epoch, row);
  }

  /**
   * Adds a positive CONTRIBUTOR-role payment for a held contribution to its contributor's row of its
   * Datanet (loaded beforehand or new).
   */
  datanetAccountEarned(c: Contribution, amount: bigint): void {
    let row = datanetAccountLinks.get(c, true);
    if (row) {
      this.datanetAccounts.touch(row);
    } else {
      const [datanet, account] = [c.datanet, c.contributor.id];
      const id = datanetAccountId(datanet.id, account);
      row = this.datanetAccounts.get(id);
      if (row) this.datanetAccounts.touch(row);
      else
        row = this.datanetAccounts.put(
          new DatanetAccount({ id, datanet, account, earned: 0n, paidAttributionCount: 0 }),
        );
      datanetAccountLinks.set(c, true, row);
    }
    row.earned += amount;
    row.paidAttributionCount++;
  }

  /** The model's row for the epoch (loaded beforehand or new), marked changed. */
  modelEpoch(model: Model, epoch: bigint): ModelEpoch {
    const linked = modelEpochLinks.get(model, epoch);
    if (linked) return this.modelEpochs.touch(linked);
    const id = modelEpochId(model.id, epoch);
    const have = this.modelEpochs.get(id);
    if (have) return modelEpochLinks.set(model, epoch, this.modelEpochs.touch(have));
    const row = this.modelEpochs.put(
      new ModelEpoch({
        id,
        model,
        epoch,
        inferenceCount: 0,
        fees: 0n,
        ownerEarned: 0n,
        contributorsEarned: 0n,
        datanetOwnersEarned: 0n,
        protocolEarned: 0n,
      }),
    );
    return modelEpochLinks.set(model, epoch, row);
  }

  /** Notes that a contributor's reputation inputs changed in the block being folded. */
  reputationInput(account: string): void {
    this.reputationDirty.add(account);
  }

  /**
   * Ends a block: recomputes the reputation of every contributor whose inputs changed in it, and
   * records a history row when the score changed (or on the first input). Call after the last event
   * of each block.
   */
  endBlock(blockNumber: number, timestamp: number): void {
    if (this.reputationDirty.size === 0) return;
    for (const address of this.reputationDirty) {
      const a = this.accounts.get(address)!;
      const inputs = {
        accepted: a.acceptedCount,
        rejected: a.rejectedCount,
        duplicates: a.duplicateCount,
        slashes: a.slashCount,
        acceptedQualitySum: a.acceptedQualitySum,
        earned: a.earnedAsContributor,
      };
      const r = computeReputation(inputs);
      const changed = a.reputationScore == null || a.reputationScore !== r.score;
      a.reputationScore = r.score;
      a.acceptanceBps = r.acceptanceBps;
      a.qualityBps = r.qualityBps;
      a.impactBps = r.impactBps;
      a.reputationUpdatedAtBlock = blockNumber;
      this.accounts.touch(a);
      if (!changed) continue;
      this.reputationChanges.add(
        new ReputationChange({
          id: reputationChangeId(address, blockNumber),
          account: address,
          blockNumber,
          timestamp: new Date(timestamp),
          score: r.score,
          acceptanceBps: r.acceptanceBps,
          qualityBps: r.qualityBps,
          impactBps: r.impactBps,
          ...inputs,
        }),
      );
    }
    this.reputationDirty.clear();
  }

  /** Records chain data that broke an expectation; processing goes on. */
  anomaly(
    kind: string,
    reason: string,
    loc: Partial<EventLocation> & { blockNumber: number; timestamp: number },
  ): void {
    const position = positionId(loc.blockNumber, loc.logIndex ?? 999_999);
    const seq = (this.anomalySeq.get(position) ?? 0) + 1;
    this.anomalySeq.set(position, seq);
    const p = this.protocol;
    p.anomalyCount++;
    this.protocolTable.touch(p);
    this.anomalies.add(
      new Anomaly({
        id: `${position}-${String(seq).padStart(4, '0')}`,
        kind,
        reason,
        contract: loc.address ?? null,
        blockNumber: loc.blockNumber,
        txHash: loc.txHash ?? null,
        logIndex: loc.logIndex ?? null,
        timestamp: new Date(loc.timestamp),
      }),
    );
  }

  /** Anomalies queued from position `since` of the queue on (this batch's), by kind (for metrics and logs). */
  anomalyCounts(since = 0): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.anomalies.rows.slice(since)) out[a.kind] = (out[a.kind] ?? 0) + 1;
    return out;
  }

  /** Every kind, in write order (parents before children). */
  private writers(): [string, Writer][] {
    return [
      ['accounts', this.accounts],
      ['feeSplits', this.feeSplits],
      ['protocol', this.protocolTable],
      ['datanets', this.datanets],
      ['validators', this.validators],
      ['contributions', this.contributions],
      ['dataHashFirst', this.dataHashFirst],
      ['reviews', this.reviews],
      ['slashes', this.slashes],
      ['models', this.models],
      ['modelDatanets', this.modelDatanets],
      ['adapters', this.adapters],
      ['epochs', this.epochs],
      ['accountEpochs', this.accountEpochs],
      ['datanetEpochs', this.datanetEpochs],
      ['modelEpochs', this.modelEpochs],
      ['datanetAccounts', this.datanetAccounts],
      ['reputationChanges', this.reputationChanges],
      ['inferences', this.inferences],
      ['attributions', this.attributions],
      ['payouts', this.payouts],
      ['claims', this.claims],
      ['transfers', this.transfers],
      ['bridgeTokens', this.bridgeTokens],
      ['bridgeTokenTotals', this.bridgeTokenTotals],
      ['stats', this.stats],
      ['creditPurchases', this.creditPurchases],
      ['creationFees', this.creationFees],
      ['anomalies', this.anomalies],
      ['status', this.statusTable],
    ];
  }

  /** Writes everything once, in the store's transaction. Returns rows written per kind. */
  async persist(): Promise<Record<string, number>> {
    const written: Record<string, number> = {};
    for (const [name, t] of this.writers()) {
      const started = performance.now();
      const n = await t.persist(this.store);
      if (n) {
        written[name] = n;
        this.persistMs[name] = Math.round(performance.now() - started);
      }
    }
    return written;
  }

  /**
   * Formats everything the batch changed as prepared writes (a snapshot: later batches may keep
   * changing the rows in memory), for `executeWrites` in a transaction that may start later.
   */
  async prepareWrites(em: EntityManager, maybeYield: () => Promise<void> | undefined): Promise<PreparedBatch> {
    const writes: { name: string; write: PreparedWrite }[] = [];
    const rows: Record<string, number> = {};
    for (const [name, t] of this.writers()) {
      for (const write of await t.prepare(em, maybeYield)) {
        writes.push({ name, write });
        rows[name] = (rows[name] ?? 0) + write.rows;
      }
    }
    return { writes, rows };
  }
}
