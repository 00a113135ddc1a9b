/**
 * The simulator's ground-truth model: folds what the simulator sent, in chain order, into the
 * state the indexer must report. Naive, independent code (never imports src/domain).
 * Every method mirrors one successful on-chain call and throws when the call would revert,
 * so a simulator bug cannot silently desynchronise the model from the chain.
 */
import { computeEpochTree, type EpochTree } from './merkle';
import { computeReputation } from './reputation';
import { computeInferencePayout, type FeeSplit, type PayoutRole } from './rewards';
import { newCounters, type StatsCounters } from './stats';

export type {
  DatanetStatusCode,
  DatanetState,
  ContributionState,
  ModelState,
  InferenceState,
  EpochState,
  EpochModelState,
  AccountEarnings,
  BridgeTotals,
  ReputationState,
  SettlementInput,
  LedgerEntry,
} from './state';
import type {
  DatanetStatusCode,
  DatanetState,
  ContributionState,
  ModelState,
  InferenceState,
  EpochState,
  EpochModelState,
  AccountEarnings,
  BridgeTotals,
  ReputationState,
  SettlementInput,
  LedgerEntry,
} from './state';

const lower = (a: string): string => a.toLowerCase();
const fail = (msg: string): never => {
  throw new Error(`ground truth: ${msg} (the contract would revert: simulator bug)`);
};

/** The mutable ground-truth state; see createTruthModel. */
export class TruthModel {
  readonly datanets = new Map<bigint, DatanetState>();
  readonly contributions = new Map<bigint, ContributionState>();
  readonly models = new Map<bigint, ModelState>();
  readonly inferences = new Map<string, InferenceState>();
  readonly epochs = new Map<bigint, EpochState>();
  readonly accounts = new Map<string, AccountEarnings>();
  /** address -> reputation inputs, for every address that submitted a contribution or was slashed. */
  readonly reputation = new Map<string, ReputationState>();
  readonly firstByHash = new Map<string, bigint>();
  readonly bridge = new Map<string, Map<string, BridgeTotals>>();
  readonly withdrawalHashes: string[] = [];
  /**
   * account -> its payments and claims in chain order, when the model keeps them (see
   * createTruthModel's `payoutLedger`): the per-block payout history. Null when off.
   */
  readonly ledger: Map<string, LedgerEntry[]> | null;
  readonly anomalies: Record<string, number> = { UNKNOWN_CONTRIBUTION: 0, EPOCH_ROOT_MISMATCH: 0 };
  split: FeeSplit | null = null;
  currentEpoch = 1n;
  attributedInferences = 0;
  claims = 0;
  claimed = 0n;
  creditPurchases = 0;
  creditPaid = 0n;
  creationFees = 0;
  creationFeeTotal = 0n;
  bridgeDeposits = 0;
  bridgeWithdrawals = 0;
  events = 0;
  headBlock = 0;
  /**
   * Transaction bookkeeping for block-level history: the simulator announces each transaction
   * (beginTx) before applying its effects, and reports its block once mined (txMined); in batch
   * mode the block is only known later, so points are tagged with the transaction and resolved
   * in the snapshot. Transaction 0 stands for inputs applied outside any announced transaction
   * (unit tests feeding the model directly): it counts as block 0.
   */
  tx = 0;
  txCount = 0;
  readonly txBlocks = new Map<number, number>([[0, 0]]);
  /** Block -> unix seconds, as reported with each mined transaction. */
  readonly blockTimes = new Map<number, number>();
  /** Stats counters per transaction and series (see ./stats): the bucket is known once the block is. */
  readonly stats = new Map<number, Map<string, StatsCounters>>();
  reviewsAccepted = 0;
  reviewsRejected = 0;
  /** Next ids the chain assigns (1 on a fresh deployment; higher when joining a used chain). */
  nextDatanetId = 1n;
  nextContributionId = 1n;
  nextModelId = 1n;

  constructor(
    readonly chainId: number,
    readonly scenario: string,
    readonly seed: number,
    payoutLedger = true,
  ) {
    this.ledger = payoutLedger ? new Map() : null;
    this.epochs.set(1n, this.newEpoch());
  }

  /** Appends a payment or claim to the account's ledger (when kept); zero amounts are not entries. */
  private record(account: string, epoch: bigint, kind: LedgerEntry['kind'], amount: bigint): void {
    if (this.ledger === null || amount === 0n) return;
    let entries = this.ledger.get(account);
    if (entries === undefined) this.ledger.set(account, (entries = []));
    entries.push({ tx: this.tx, epoch, kind, amount });
  }

  /** A deep copy (for a chain snapshot that may be reverted). */
  clone(): TruthModel {
    const copy = Object.create(TruthModel.prototype) as TruthModel;
    return Object.assign(copy, structuredClone({ ...this }));
  }

  /** Joins a chain that already holds data: ids continue after the chain's counts. */
  continueFrom(counts: { datanets: bigint; contributions: bigint; models: bigint; epoch: bigint }): void {
    this.nextDatanetId = counts.datanets + 1n;
    this.nextContributionId = counts.contributions + 1n;
    this.nextModelId = counts.models + 1n;
    this.epochs.clear();
    this.currentEpoch = counts.epoch;
    this.epochs.set(counts.epoch, this.newEpoch());
  }

  /** Announces the transaction whose effects are applied next; `block` when already known. */
  beginTx(block?: number): number {
    this.tx = ++this.txCount;
    if (block !== undefined) this.txMined(this.tx, block);
    return this.tx;
  }

  /** Records the block a transaction announced by beginTx landed in, and that block's time (unix seconds). */
  txMined(tx: number, block: number, timestamp?: number): void {
    this.txBlocks.set(tx, block);
    if (timestamp !== undefined) this.blockTimes.set(block, timestamp);
  }

  /** Unix seconds of a block; 0 when never reported (unit tests feeding the model directly). */
  timeOfBlock(block: number): number {
    return this.blockTimes.get(block) ?? 0;
  }

  /** The stats counters of the current transaction in one series ("global", "datanet:1", "model:2", "token:0x…"). */
  private statsOf(series: string): StatsCounters {
    let perSeries = this.stats.get(this.tx);
    if (perSeries === undefined) this.stats.set(this.tx, (perSeries = new Map()));
    let c = perSeries.get(series);
    if (c === undefined) perSeries.set(series, (c = newCounters()));
    return c;
  }

  /** The block of a transaction (throws when it is not mined yet: take snapshots after a flush). */
  blockOfTx(tx: number): number {
    const block = this.txBlocks.get(tx);
    if (block === undefined)
      throw new Error(`ground truth: simulator transaction #${tx} has no block yet (take snapshots after a flush)`);
    return block;
  }

  /** The reputation record of an address, created on its first input (a submission or a slash). */
  reputationOf(address: string): ReputationState {
    const key = lower(address);
    let r = this.reputation.get(key);
    if (r === undefined) {
      r = { accepted: 0, rejected: 0, duplicates: 0, slashes: 0, earned: 0n, acceptedQualitySum: 0, points: [] };
      this.reputation.set(key, r);
    }
    return r;
  }

  /**
   * Records the score after an input of `r` changed: always the first point, then a point only
   * when the score moved; within one transaction only the last value counts. The snapshot
   * reduces these points to one per block (the end-of-block score).
   */
  private reputationChanged(r: ReputationState): void {
    const { score } = computeReputation(r);
    const last = r.points[r.points.length - 1];
    if (last !== undefined && last.tx === this.tx) last.score = score;
    else if (last === undefined || last.score !== score) r.points.push({ tx: this.tx, score });
  }

  /** The account record, created on first touch (contributed, owned, paid or earned). */
  account(address: string): AccountEarnings {
    const key = lower(address);
    let a = this.accounts.get(key);
    if (a === undefined) {
      a = {
        slashes: 0,
        slashedAmount: 0n,
        earned: { CONTRIBUTOR: 0n, DATANET_OWNER: 0n, MODEL_OWNER: 0n },
        claimed: 0n,
      };
      this.accounts.set(key, a);
    }
    return a;
  }

  /** createDatanet: returns the id the chain assigns. */
  datanetCreated(owner: string): bigint {
    const id = this.nextDatanetId++;
    this.datanets.set(id, {
      id,
      owner: lower(owner),
      status: 0,
      validators: new Set(),
      slashes: 0,
      slashedAmount: 0n,
      ownerEarned: 0n,
      contributorsEarned: 0n,
      contributorEarnings: new Map(),
    });
    this.account(owner);
    return id;
  }

  /** A known Datanet (throws for an unknown id). */
  datanet(id: bigint): DatanetState {
    return this.datanets.get(id) ?? fail(`unknown datanet ${id}`);
  }

  /** setDatanetStatus by the owner. */
  datanetStatusSet(id: bigint, sender: string, status: DatanetStatusCode): void {
    const d = this.datanet(id);
    if (d.owner !== lower(sender)) fail(`${sender} does not own datanet ${id}`);
    d.status = status;
  }

  /** setValidator by the owner. */
  validatorSet(id: bigint, sender: string, validator: string, enabled: boolean): void {
    const d = this.datanet(id);
    if (d.owner !== lower(sender)) fail(`${sender} does not own datanet ${id}`);
    if (enabled) d.validators.add(lower(validator));
    else d.validators.delete(lower(validator));
  }

  /** A submission (direct or relayed) to an Active Datanet; detects duplicates per (Datanet, dataHash). */
  contributionSubmitted(datanetId: bigint, contributor: string, dataHash: string, sizeBytes: bigint): bigint {
    const d = this.datanet(datanetId);
    if (d.status !== 0) fail(`datanet ${datanetId} is not active`);
    const id = this.nextContributionId++;
    const key = `${datanetId}-${lower(dataHash)}`;
    const first = this.firstByHash.get(key);
    if (first === undefined) this.firstByHash.set(key, id);
    this.contributions.set(id, {
      id,
      datanetId,
      contributor: lower(contributor),
      dataHash: lower(dataHash),
      sizeBytes,
      status: 'PENDING',
      qualityBps: null,
      reviews: 0,
      duplicateOf: first ?? null,
      earned: 0n,
    });
    this.account(contributor);
    this.statsOf('global').contributions++;
    this.statsOf(`datanet:${datanetId}`).contributions++;
    const r = this.reputationOf(contributor);
    // A duplicate weighs on the acceptance rate from its submission on, whatever its reviews.
    if (first !== undefined) r.duplicates++;
    this.reputationChanged(r);
    return id;
  }

  /** A review by an enabled validator: the latest review sets status and quality. */
  contributionReviewed(id: bigint, validator: string, accepted: boolean, qualityBps: number): void {
    const c = this.contributions.get(id) ?? fail(`unknown contribution ${id}`);
    if (!this.datanet(c.datanetId).validators.has(lower(validator)))
      fail(`${validator} is not a validator of datanet ${c.datanetId}`);
    if (qualityBps < 0 || qualityBps > 10_000) fail(`qualityBps ${qualityBps} out of range`);
    // The latest review replaces the previous one in the reputation inputs (a re-review moves the
    // contribution between accepted and rejected and replaces its quality).
    const r = this.reputationOf(c.contributor);
    if (c.status === 'ACCEPTED') {
      r.accepted--;
      r.acceptedQualitySum -= c.qualityBps!;
    } else if (c.status === 'REJECTED') r.rejected--;
    c.status = accepted ? 'ACCEPTED' : 'REJECTED';
    c.qualityBps = qualityBps;
    c.reviews++;
    if (accepted) {
      this.reviewsAccepted++;
      this.statsOf('global').reviewsAccepted++;
      this.statsOf(`datanet:${c.datanetId}`).reviewsAccepted++;
    } else {
      this.reviewsRejected++;
      this.statsOf('global').reviewsRejected++;
      this.statsOf(`datanet:${c.datanetId}`).reviewsRejected++;
    }
    if (accepted) {
      r.accepted++;
      r.acceptedQualitySum += qualityBps;
    } else r.rejected++;
    this.reputationChanged(r);
  }

  /** slashContributor by the Datanet owner. */
  contributorSlashed(datanetId: bigint, sender: string, contributor: string, amount: bigint): void {
    const d = this.datanet(datanetId);
    if (d.owner !== lower(sender)) fail(`${sender} does not own datanet ${datanetId}`);
    d.slashes++;
    d.slashedAmount += amount;
    const a = this.account(contributor);
    a.slashes++;
    a.slashedAmount += amount;
    const r = this.reputationOf(contributor);
    r.slashes++;
    this.reputationChanged(r);
  }

  /** registerModel: returns the id the chain assigns. */
  modelRegistered(owner: string, datanetIds: readonly bigint[]): bigint {
    for (const d of datanetIds) this.datanet(d);
    const id = this.nextModelId++;
    this.models.set(id, {
      id,
      owner: lower(owner),
      datanetIds: [...datanetIds],
      adapters: 0,
      inferences: 0,
      fees: 0n,
      ownerEarned: 0n,
      contributorsEarned: 0n,
      datanetOwnersEarned: 0n,
      protocolEarned: 0n,
    });
    this.account(owner);
    return id;
  }

  /** publishAdapter by the model owner: returns the version. */
  adapterPublished(modelId: bigint, sender: string): number {
    const m = this.models.get(modelId) ?? fail(`unknown model ${modelId}`);
    if (m.owner !== lower(sender)) fail(`${sender} does not own model ${modelId}`);
    return ++m.adapters;
  }

  /** setFeeSplit: the split in force for later settlements. */
  feeSplitSet(split: FeeSplit): void {
    const sum = split.protocolBps + split.modelOwnerBps + split.datanetOwnerBps + split.contributorsBps;
    if (sum !== 10_000) fail(`fee split sums to ${sum}`);
    this.split = { ...split };
  }

  /** One settlement (a settleBatch applies its items in order); returns the epoch it accrued to. */
  inferenceSettled(s: SettlementInput): bigint {
    const id = lower(s.inferenceId);
    if (this.inferences.has(id)) fail(`inference ${id} settled twice`);
    const model = this.models.get(s.modelId) ?? fail(`unknown model ${s.modelId}`);
    if (s.contributionIds.length !== s.weightsPpm.length) fail('attribution arrays differ in length');
    if (s.contributionIds.length > 0) {
      if (new Set(s.contributionIds).size !== s.contributionIds.length) fail('attribution ids are not distinct');
      const sum = s.weightsPpm.reduce((a, w) => a + w, 0);
      if (sum !== 1_000_000) fail(`attribution weights sum to ${sum}`);
    }
    const payout = computeInferencePayout({
      fee: s.fee,
      split: this.split,
      modelOwner: model.owner,
      contributionIds: s.contributionIds,
      weightsPpm: s.weightsPpm,
      contribution: (cid) => this.contributions.get(cid),
      datanetOwner: (did) => this.datanet(did).owner,
    });
    this.inferenceStats(s, payout);
    const epochNo = this.currentEpoch;
    const epoch = this.epochs.get(epochNo) ?? fail(`epoch ${epochNo} missing`);
    const earners = new Set<ReputationState>();
    for (const p of payout.payments) {
      this.account(p.account).earned[p.role] += p.amount;
      epoch.accruals.set(p.account, (epoch.accruals.get(p.account) ?? 0n) + p.amount);
      epoch.accruedToAccounts += p.amount;
      epochRoles(epoch, p.account)[p.role] += p.amount;
      this.record(p.account, epochNo, p.role, p.amount);
      if (p.role === 'CONTRIBUTOR') {
        this.contributions.get(p.contributionId!)!.earned += p.amount;
        const d = this.datanet(p.datanetId!);
        d.contributorsEarned += p.amount;
        d.contributorEarnings.set(p.account, (d.contributorEarnings.get(p.account) ?? 0n) + p.amount);
        epochDatanet(epoch, p.datanetId!).contributorsEarned += p.amount;
        if (p.amount > 0n) {
          const r = this.reputationOf(p.account);
          r.earned += p.amount;
          earners.add(r);
        }
      } else if (p.role === 'DATANET_OWNER') {
        this.datanet(p.datanetId!).ownerEarned += p.amount;
        epochDatanet(epoch, p.datanetId!).ownerEarned += p.amount;
      }
    }
    for (const r of earners) this.reputationChanged(r);
    epoch.inferences++;
    epoch.fees += s.fee;
    epoch.protocolAmount += payout.protocolAmount;
    for (const m of [model, epochModel(epoch, s.modelId)]) {
      m.inferences++;
      m.fees += s.fee;
      m.ownerEarned += payout.modelOwnerAmount;
      m.contributorsEarned += payout.contributorsAmount;
      m.datanetOwnersEarned += payout.datanetOwnersAmount;
      m.protocolEarned += payout.protocolAmount;
    }
    this.account(s.payer);
    this.anomalies.UNKNOWN_CONTRIBUTION += payout.unknown;
    if (s.contributionIds.length > 0) this.attributedInferences++;
    this.inferences.set(id, {
      modelId: s.modelId,
      payer: lower(s.payer),
      fee: s.fee,
      epoch: epochNo,
      attributions: s.contributionIds.length,
      eligible: payout.eligible,
      modelOwnerAmount: payout.modelOwnerAmount,
      datanetOwnersAmount: payout.datanetOwnersAmount,
      contributorsAmount: payout.contributorsAmount,
      protocolAmount: payout.protocolAmount,
    });
    return epochNo;
  }

  /** An inference's stats: global and its model's figures; each Datanet with an ACCEPTED attributed contribution. */
  private inferenceStats(s: SettlementInput, payout: ReturnType<typeof computeInferencePayout>): void {
    for (const series of ['global', `model:${s.modelId}`]) {
      const c = this.statsOf(series);
      c.inferences++;
      c.fees += s.fee;
      c.toContributors += payout.contributorsAmount;
      c.toDatanetOwners += payout.datanetOwnersAmount;
      c.toModelOwners += payout.modelOwnerAmount;
      c.toProtocol += payout.protocolAmount;
    }
    const used = new Set<bigint>();
    for (const id of s.contributionIds) {
      const c = this.contributions.get(id);
      if (c !== undefined && c.status === 'ACCEPTED') used.add(c.datanetId);
    }
    for (const d of used) this.statsOf(`datanet:${d}`).inferences++;
    for (const p of payout.payments) {
      if (p.role === 'CONTRIBUTOR') this.statsOf(`datanet:${p.datanetId}`).toContributors += p.amount;
      if (p.role === 'DATANET_OWNER') this.statsOf(`datanet:${p.datanetId}`).toDatanetOwners += p.amount;
    }
  }

  /** The tree of the current (open) epoch as it stands: what a correct closeEpoch posts. */
  currentEpochTree(): EpochTree {
    return computeEpochTree(this.epochs.get(this.currentEpoch)!.accruals);
  }

  /** Applies closeEpoch(root, total) to the current epoch and opens the next one. */
  epochClosed(postedRoot: string, postedTotal: bigint): bigint {
    const epochNo = this.currentEpoch;
    const epoch = this.epochs.get(epochNo)!;
    epoch.closed = true;
    epoch.closedTx = this.tx;
    epoch.postedRoot = lower(postedRoot);
    epoch.postedTotal = postedTotal;
    epoch.expected = computeEpochTree(epoch.accruals);
    if (epoch.expected.root.toLowerCase() !== epoch.postedRoot) this.anomalies.EPOCH_ROOT_MISMATCH++;
    this.currentEpoch = epochNo + 1n;
    this.epochs.set(this.currentEpoch, this.newEpoch());
    return epochNo;
  }

  /** A claim of an account's full leaf in a closed, correctly rooted epoch. */
  rewardClaimed(epochNo: bigint, account: string, amount: bigint): void {
    const key = lower(account);
    const epoch = this.epochs.get(epochNo) ?? fail(`unknown epoch ${epochNo}`);
    if (!epoch.closed || epoch.expected === null) fail(`epoch ${epochNo} is not closed`);
    if (epoch.postedRoot !== epoch.expected!.root.toLowerCase())
      fail(`epoch ${epochNo} has a wrong root: proofs cannot verify`);
    if (epoch.claims.has(key)) fail(`${account} already claimed epoch ${epochNo}`);
    if (epoch.expected!.amounts.get(key) !== amount)
      fail(`${account} claims ${amount}, not its leaf in epoch ${epochNo}`);
    epoch.claims.set(key, amount);
    this.record(key, epochNo, 'CLAIM', amount);
    this.account(key).claimed += amount;
    this.claims++;
    this.claimed += amount;
  }

  /** One CreditPurchased. */
  creditPurchased(_user: string, amountPaid: bigint): void {
    this.creditPurchases++;
    this.creditPaid += amountPaid;
  }

  /** One TransactionInitiated (Datanet creation fee). */
  creationFeePaid(_user: string, amount: bigint): void {
    this.creationFees++;
    this.creationFeeTotal += amount;
  }

  /** An L2 deposit finalization credited to `account` (the L2 recipient). */
  bridgeDeposit(account: string, l2Token: string, amount: bigint): void {
    const t = this.bridgeTotals(account, l2Token);
    t.deposited += amount;
    t.depositCount++;
    this.bridgeDeposits++;
    this.statsOf('global').deposits++;
    const c = this.statsOf(`token:${lower(l2Token)}`);
    c.deposits++;
    c.deposited += amount;
  }

  /** An L2 withdrawal sent by `account` (the L2 sender); token = zero address for native OPEN. */
  bridgeWithdrawal(account: string, l2Token: string, amount: bigint, withdrawalHash: string): void {
    const t = this.bridgeTotals(account, l2Token);
    t.withdrawn += amount;
    t.withdrawalCount++;
    this.bridgeWithdrawals++;
    this.statsOf('global').withdrawals++;
    const c = this.statsOf(`token:${lower(l2Token)}`);
    c.withdrawals++;
    c.withdrawn += amount;
    this.withdrawalHashes.push(lower(withdrawalHash));
  }

  private bridgeTotals(account: string, token: string): BridgeTotals {
    let perToken = this.bridge.get(lower(account));
    if (perToken === undefined) this.bridge.set(lower(account), (perToken = new Map()));
    let t = perToken.get(lower(token));
    if (t === undefined)
      perToken.set(lower(token), (t = { deposited: 0n, depositCount: 0, withdrawn: 0n, withdrawalCount: 0 }));
    return t;
  }

  private newEpoch(): EpochState {
    return {
      inferences: 0,
      fees: 0n,
      accruedToAccounts: 0n,
      protocolAmount: 0n,
      accruals: new Map(),
      roles: new Map(),
      datanets: new Map(),
      models: new Map(),
      closed: false,
      postedRoot: null,
      postedTotal: null,
      expected: null,
      claims: new Map(),
      closedTx: null,
    };
  }
}

function epochRoles(epoch: EpochState, account: string): Record<PayoutRole, bigint> {
  let r = epoch.roles.get(account);
  if (r === undefined) epoch.roles.set(account, (r = { CONTRIBUTOR: 0n, DATANET_OWNER: 0n, MODEL_OWNER: 0n }));
  return r;
}

function epochDatanet(epoch: EpochState, datanetId: bigint): { contributorsEarned: bigint; ownerEarned: bigint } {
  let d = epoch.datanets.get(datanetId);
  if (d === undefined) epoch.datanets.set(datanetId, (d = { contributorsEarned: 0n, ownerEarned: 0n }));
  return d;
}

function epochModel(epoch: EpochState, modelId: bigint): EpochModelState {
  let m = epoch.models.get(modelId);
  if (m === undefined) {
    m = {
      inferences: 0,
      fees: 0n,
      ownerEarned: 0n,
      contributorsEarned: 0n,
      datanetOwnersEarned: 0n,
      protocolEarned: 0n,
    };
    epoch.models.set(modelId, m);
  }
  return m;
}

/**
 * Creates an empty ground-truth model (epoch 1 open, no fee split). `payoutLedger` (default true)
 * keeps every payment and claim for the per-block payout history; the large scenario turns it off
 * (millions of entries).
 */
export function createTruthModel(options: {
  chainId: number;
  scenario: string;
  seed: number;
  payoutLedger?: boolean;
}): TruthModel {
  return new TruthModel(options.chainId, options.scenario, options.seed, options.payoutLedger ?? true);
}
