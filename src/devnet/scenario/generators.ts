/**
 * Item generators for one slice of traffic: submissions (with duplicates), reviews (and
 * re-reviews), settlements with attributions, claims. Choices go through the seeded PRNG only.
 */
import type { Hex } from 'viem';
import type { SettlementInput } from '../truth/model';
import type { Behaviour, Cast } from './actors';
import type { ScenarioPlan } from './plans';
import type { Prng } from './prng';
import type { ClaimItem, ReviewItem, Simulator, SubmissionItem } from './simulator';
import { claimRewards } from './vault-actions';

/** Scenario bookkeeping besides the truth (plain data). */
export interface TrafficState {
  cast: Cast;
  datanetIds: bigint[];
  modelIds: bigint[];
  /** datanetId (decimal) -> its contribution ids, in order. */
  contributionsByDatanet: Map<string, bigint[]>;
  /** datanetId (decimal) -> data hashes submitted to it. */
  hashesByDatanet: Map<string, Hex[]>;
  /** contributor -> its own submissions (for self-duplicates). */
  ownSubmissions: Map<string, { datanetId: bigint; hash: Hex }[]>;
  /** global slice -> reviews due then. */
  reviewsDue: Map<number, { id: bigint; re: boolean }[]>;
  /** Global slice counter. */
  slice: number;
  /** Claims chosen but not sent yet. */
  pendingClaims: ClaimItem[];
}

export interface TrafficContext {
  sim: Simulator;
  plan: ScenarioPlan;
  prng: Prng;
  st: TrafficState;
  behaviour: Map<string, Behaviour>;
}

/** Creates empty bookkeeping for a cast. */
export function createTrafficState(cast: Cast): TrafficState {
  return {
    cast,
    datanetIds: [],
    modelIds: [],
    contributionsByDatanet: new Map(),
    hashesByDatanet: new Map(),
    ownSubmissions: new Map(),
    reviewsDue: new Map(),
    slice: 0,
    pendingClaims: [],
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function scheduleReview(ctx: TrafficContext, id: bigint, re: boolean, delay: number): void {
  push(ctx.st.reviewsDue, ctx.st.slice + delay, { id, re });
}

function chooseHash(ctx: TrafficContext, contributor: string, behaviour: Behaviour, datanetId: bigint): Hex {
  const { prng, st } = ctx;
  const inDatanet = st.hashesByDatanet.get(datanetId.toString()) ?? [];
  const own = (st.ownSubmissions.get(contributor) ?? []).filter((s) => s.datanetId === datanetId);
  if (behaviour === 'spammer' && prng.chance(0.4)) {
    if (own.length > 0 && prng.chance(0.5)) return prng.pick(own).hash;
    if (inDatanet.length > 0) return prng.pick(inDatanet);
  }
  if (behaviour === 'sloppy' && inDatanet.length > 0 && prng.chance(0.04)) return prng.pick(inDatanet);
  return prng.bytes32();
}

/** Submits n contributions: keyed contributors sometimes directly, the rest through the relayer batch. */
export async function runSubmissions(ctx: TrafficContext, n: number): Promise<void> {
  const { sim, plan, prng, st } = ctx;
  const active = st.datanetIds.filter((id) => sim.truth.datanet(id).status === 0);
  if (active.length === 0) return;
  let batch: SubmissionItem[] = [];
  const record = (item: SubmissionItem, id: bigint) => {
    push(st.contributionsByDatanet, item.datanetId.toString(), id);
    push(st.hashesByDatanet, item.datanetId.toString(), item.dataHash);
    if (ctx.behaviour.get(item.contributor) === 'spammer') {
      push(st.ownSubmissions, item.contributor, { datanetId: item.datanetId, hash: item.dataHash });
    }
    if (prng.chance(0.88)) scheduleReview(ctx, id, false, prng.int(1, 2));
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    const ids = await sim.submitBatch(items);
    items.forEach((item, i) => record(item, ids[i]));
  };
  for (let i = 0; i < n; i++) {
    const c = prng.pick(st.cast.contributors);
    const preferred = c.preferred.map((k) => st.datanetIds[k]).filter((id) => sim.truth.datanet(id).status === 0);
    const datanetId = preferred.length > 0 && prng.chance(0.85) ? prng.pick(preferred) : prng.pick(active);
    const dataHash = chooseHash(ctx, c.address, c.behaviour, datanetId);
    const item: SubmissionItem = {
      contributor: c.address,
      datanetId,
      dataHash,
      sizeBytes: prng.bigint(1_000n, 50_000_000n),
      uri: `ipfs://bafy${dataHash.slice(2, 18)}`,
    };
    if (c.keyed && prng.chance(plan.directShare)) record(item, await sim.submit(item));
    else {
      batch.push(item);
      if (batch.length >= plan.batch.submit) await flush();
    }
  }
  await flush();
}

function reviewDecision(ctx: TrafficContext, id: bigint, re: boolean): { accepted: boolean; qualityBps: number } {
  const { prng, sim } = ctx;
  const c = sim.truth.contributions.get(id)!;
  const behaviour = ctx.behaviour.get(c.contributor) ?? 'careful';
  let accepted: boolean;
  if (re && c.status !== 'PENDING') accepted = c.status !== 'ACCEPTED';
  else if (c.duplicateOf !== null) accepted = prng.chance(0.05);
  else accepted = prng.chance(behaviour === 'careful' ? 0.92 : behaviour === 'sloppy' ? 0.35 : 0.5);
  let qualityBps: number;
  if (!accepted) qualityBps = prng.int(0, 3000);
  else if (behaviour === 'careful') qualityBps = prng.int(7000, 10_000);
  else qualityBps = prng.int(2500, 7500);
  return { accepted, qualityBps };
}

/** Sends the reviews due in the current slice (first reviews and re-reviews that flip the status). */
export async function runReviews(ctx: TrafficContext): Promise<void> {
  const { sim, plan, prng, st } = ctx;
  const due = st.reviewsDue.get(st.slice) ?? [];
  st.reviewsDue.delete(st.slice);
  let batch: ReviewItem[] = [];
  for (const { id, re } of due) {
    const c = sim.truth.contributions.get(id)!;
    const validators = [...sim.truth.datanet(c.datanetId).validators];
    if (validators.length === 0) continue;
    const item: ReviewItem = { validator: prng.pick(validators), contributionId: id, ...reviewDecision(ctx, id, re) };
    if (prng.chance(plan.directShare)) await sim.review(item);
    else {
      batch.push(item);
      if (batch.length >= plan.batch.review) {
        await sim.reviewBatch(batch);
        batch = [];
      }
    }
    if (prng.chance(re ? 0.15 : 0.1)) scheduleReview(ctx, id, true, prng.int(1, 3));
  }
  if (batch.length > 0) await sim.reviewBatch(batch);
}

/** A fee: mostly 0.001 to 0.1 OPEN with odd low digits, some large, some tiny (all-dust) fees. */
function chooseFee(prng: Prng): bigint {
  const r = prng.next();
  if (r < 0.05) return prng.pick([1n, 7n, 9_999n, 1_000_003n, prng.bigint(1n, 10_000_000n)]);
  if (r < 0.15) return prng.bigint(10n ** 17n, 5n * 10n ** 18n);
  return prng.bigint(10n ** 15n, 10n ** 17n);
}

/** Splits 1,000,000 ppm into k positive random weights. */
export function chooseWeights(prng: Prng, k: number): number[] {
  const raw = Array.from({ length: k }, () => prng.int(1, 1000));
  const sum = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((r) => Math.floor((r * 1_000_000) / sum));
  weights[prng.int(0, k - 1)] += 1_000_000 - weights.reduce((a, b) => a + b, 0);
  return weights;
}

function chooseAttribution(ctx: TrafficContext, modelId: bigint): bigint[] {
  const { prng, sim, plan, st } = ctx;
  if (prng.chance(0.1)) return [];
  const pools = sim.truth.models.get(modelId)!.datanetIds.map((d) => st.contributionsByDatanet.get(d.toString()) ?? []);
  const poolSize = pools.reduce((a, p) => a + p.length, 0);
  const want = 1 + Math.floor((plan.maxAttributions - 1) * prng.next() ** 3);
  const ids = new Set<bigint>();
  for (let tries = 0; ids.size < Math.min(want, poolSize) && tries < want * 4; tries++) {
    let i = prng.int(0, poolSize - 1);
    const pool = pools.find((p) => (i < p.length ? true : ((i -= p.length), false)))!;
    ids.add(pool[i]);
  }
  if (ids.size === 0 || prng.chance(0.04)) {
    // An id never submitted so far: just past the current count (may exist later) or far beyond.
    const next = sim.truth.nextContributionId;
    ids.add(prng.chance(0.5) ? next + BigInt(prng.int(0, 30)) : 1_000_000_000n + prng.bigint(0n, 1_000_000n));
  }
  return [...ids];
}

/** Settles n inferences, some one per transaction, most through settleBatch. */
export async function runSettlements(ctx: TrafficContext, n: number): Promise<void> {
  const { sim, plan, prng, st } = ctx;
  if (st.modelIds.length === 0) return;
  let batch: SettlementInput[] = [];
  let attributions = 0;
  const flush = async () => {
    if (batch.length > 0) await sim.settle(batch, 'batch');
    batch = [];
    attributions = 0;
  };
  for (let i = 0; i < n; i++) {
    const modelId = prng.pick(st.modelIds);
    const contributionIds = chooseAttribution(ctx, modelId);
    const s: SettlementInput = {
      inferenceId: prng.bytes32(),
      modelId,
      payer: prng.chance(0.05) ? st.cast.multiRole : prng.pick(st.cast.payers),
      fee: chooseFee(prng),
      contributionIds,
      weightsPpm: contributionIds.length === 0 ? [] : chooseWeights(prng, contributionIds.length),
    };
    if (prng.chance(plan.directShare)) {
      await sim.settle([s], 'single');
      continue;
    }
    if (attributions + contributionIds.length > plan.batch.settleAttributions) await flush();
    batch.push(s);
    attributions += contributionIds.length;
    if (batch.length >= plan.batch.settle) await flush();
  }
  await flush();
}

/** Picks the claims of a freshly closed, correctly rooted epoch (a share of its leaves). */
export function chooseClaims(ctx: TrafficContext, epoch: bigint): void {
  const tree = ctx.sim.truth.epochs.get(epoch)!.expected!;
  const accounts = [...tree.amounts.keys()];
  const k = Math.round(accounts.length * ctx.plan.claimShare);
  for (const account of ctx.prng.sample(accounts, k)) ctx.st.pendingClaims.push({ epoch, account });
}

/** Sends up to n pending claims: keyed accounts sometimes claim themselves, the rest via claimFor / claimBatch. */
export async function runClaims(ctx: TrafficContext, n: number, keyed: ReadonlySet<string>): Promise<void> {
  const { sim, plan, prng, st } = ctx;
  const items = st.pendingClaims.splice(0, n);
  let batch: ClaimItem[] = [];
  for (const item of items) {
    const r = prng.next();
    if (keyed.has(item.account) && r < 0.3) await claimRewards(sim, [item], 'self');
    else if (r < 0.45) await claimRewards(sim, [item], 'for');
    else {
      batch.push(item);
      if (batch.length >= plan.batch.claim) {
        await claimRewards(sim, batch, 'batch');
        batch = [];
      }
    }
  }
  if (batch.length > 0) await claimRewards(sim, batch, 'batch');
}
