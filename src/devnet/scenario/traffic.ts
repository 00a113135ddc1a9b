/**
 * The scenario script: setup (Datanets, validators, models, credits, bridge balances), then
 * epoch after epoch of interleaved traffic with the special events a realistic chain has
 * (fee split changes, pauses and closes, disabled validators, slashes, tiny-fee inferences whose
 * shares round to 0 wei, a wrongly rooted epoch, claims, double withdrawals). The last epoch
 * stays open.
 */
import type { FeeSplit } from '../truth/rewards';
import { closeEpoch } from './vault-actions';
import { chooseClaims, runClaims, runReviews, runSettlements, runSubmissions, type TrafficContext } from './generators';
import { payCreationFee, payCreationFees } from './payments';
import { creationFee, runBridge, runCredits, runDoubleWithdrawal, seedBridgeBalances } from './side-traffic';

/** The split set early in epoch 1 (before it, everything goes to the protocol). */
export const FIRST_SPLIT: FeeSplit = {
  protocolBps: 1000,
  modelOwnerBps: 2000,
  datanetOwnerBps: 1500,
  contributorsBps: 5500,
};
/** The split set mid-way through the scenario. */
export const SECOND_SPLIT: FeeSplit = {
  protocolBps: 700,
  modelOwnerBps: 2300,
  datanetOwnerBps: 1800,
  contributorsBps: 5200,
};
/** What the wrongly rooted epoch's tree adds to one leaf (its posted total is off by the same). */
export const WRONG_ROOT_DELTA = 1_000_000_007n;

const TOPICS = [
  'Medical imaging',
  'Solidity audits',
  'Legal contracts',
  'DeFi trading',
  'Multilingual QA',
  'DePIN telemetry',
  'Climate records',
  'Code review',
  'Game assets',
  'Voice commands',
  'Supply chain',
  'Biology papers',
];

interface Schedule {
  pauseResume: number[];
  close: number[];
  pauseForever: number[];
  disableValidators: number[];
  disabled: { datanetId: bigint; validator: string }[];
  twiceSlashed: string;
}

/** Counts of a per-epoch quantity spread over slices (the sum is exact). */
function share(total: number, slices: number, s: number): number {
  return Math.floor(((s + 1) * total) / slices) - Math.floor((s * total) / slices);
}

async function setup(ctx: TrafficContext): Promise<Schedule> {
  const { sim, plan, prng, st } = ctx;
  const { cast } = st;
  await sim.deployMulticall();
  const batchedFees: { id: `0x${string}`; user: string; amount: bigint }[] = [];
  for (let i = 0; i < plan.datanets; i++) {
    const owner = i === 0 ? cast.multiRole : cast.datanetOwners[i % cast.datanetOwners.length];
    if (prng.chance(0.7)) await payCreationFee(sim, owner, prng.bytes32(), creationFee(ctx));
    else batchedFees.push({ id: prng.bytes32(), user: owner, amount: creationFee(ctx) });
    const name = `${TOPICS[i % TOPICS.length]} ${Math.floor(i / TOPICS.length) + 1}`;
    st.datanetIds.push(await sim.createDatanet(owner, name, `ipfs://datanet-${i + 1}`));
  }
  if (batchedFees.length > 0) await payCreationFees(sim, batchedFees);
  for (const id of st.datanetIds) {
    for (const v of prng.sample(cast.validators, Math.min(plan.validatorsPerDatanet, cast.validators.length)))
      await sim.setValidator(id, v, true);
  }
  for (let i = 0; i < plan.models; i++) {
    const owner =
      i === 0 || cast.modelOwners.length === 1
        ? cast.multiRole
        : cast.modelOwners[1 + ((i - 1) % (cast.modelOwners.length - 1))];
    const picked = prng.sample(st.datanetIds, Math.min(st.datanetIds.length, prng.int(2, 4)));
    const datanets = i === 0 && !picked.includes(st.datanetIds[0]) ? [st.datanetIds[0], ...picked.slice(1)] : picked;
    const modelId = await sim.registerModel(
      owner,
      `${TOPICS[i % TOPICS.length]} model v${Math.floor(i / TOPICS.length) + 1}`,
      datanets,
    );
    st.modelIds.push(modelId);
    if (prng.chance(0.8)) await sim.publishAdapter(modelId, prng.bytes32(), `ipfs://adapter-${modelId}-1`);
  }
  await runCredits(ctx, Math.max(2, Math.floor(plan.payers / 2)));
  await seedBridgeBalances(ctx, Math.max(4, plan.bridgeTransfersPerEpoch));

  const rest = prng.sample(
    Array.from({ length: plan.datanets - 1 }, (_, i) => i + 1),
    plan.datanets - 1,
  );
  const k = (f: number) => Math.max(1, Math.round(plan.datanets * f));
  const pauseResume = rest.splice(0, k(0.1));
  const close = rest.splice(0, k(0.08));
  const pauseForever = rest.splice(0, k(0.05));
  const disableValidators = prng.sample(
    Array.from({ length: plan.datanets }, (_, i) => i),
    k(0.15),
  );
  const sloppy = cast.contributors.find((c) => c.behaviour === 'sloppy') ?? cast.contributors[1];
  return { pauseResume, close, pauseForever, disableValidators, disabled: [], twiceSlashed: sloppy.address };
}

async function slashOnce(ctx: TrafficContext, contributor: string, reason: string): Promise<void> {
  const { sim, prng, st } = ctx;
  const c = st.cast.contributors.find((x) => x.address === contributor)!;
  const datanetId = st.datanetIds[c.preferred[0]];
  await sim.slash(datanetId, contributor, prng.bigint(10n ** 16n, 10n ** 18n), reason);
}

/**
 * Two tiny-fee inferences attributed to ACCEPTED contributions (the split is in force): fee 1 wei,
 * where every share, the model owner's included, rounds to 0; and fee 7 wei with weights
 * 999,999 / 1 ppm, where C = 3 pays the first contributor 2 wei and the second 0. Zero-amount
 * payments are no leaves and no epoch role entries; the protocol keeps the dust. Returns the
 * number of inferences settled (0 when fewer than two accepted contributions are attributable).
 */
async function settleDustInferences(ctx: TrafficContext): Promise<number> {
  const { sim, prng, st } = ctx;
  const modelId = st.modelIds[0];
  const accepted = sim.truth.models
    .get(modelId)!
    .datanetIds.flatMap((d) => st.contributionsByDatanet.get(d.toString()) ?? [])
    .filter((id) => sim.truth.contributions.get(id)!.status === 'ACCEPTED');
  if (accepted.length < 2) return 0;
  const ids = prng.sample(accepted, 2);
  const payer = prng.pick(st.cast.payers);
  await sim.settle(
    [
      { inferenceId: prng.bytes32(), modelId, payer, fee: 1n, contributionIds: ids, weightsPpm: [500_000, 500_000] },
      { inferenceId: prng.bytes32(), modelId, payer, fee: 7n, contributionIds: ids, weightsPpm: [999_999, 1] },
    ],
    'batch',
  );
  return 2;
}

/** The special events of slice s of epoch e; returns the number of inferences they settled. */
async function specialEvents(ctx: TrafficContext, sch: Schedule, e: number, s: number): Promise<number> {
  let settled = 0;
  const { sim, plan, prng, st } = ctx;
  const ids = (list: number[]) => list.map((i) => st.datanetIds[i]);
  const mid = Math.max(2, Math.ceil((plan.epochs + 1) / 2));
  if (e === 1 && s === 1) await sim.setFeeSplit(FIRST_SPLIT);
  if (e === mid && s === Math.floor(plan.slices / 2)) await sim.setFeeSplit(SECOND_SPLIT);
  if (e === 1 && s === 0) {
    const users = prng.sample(st.cast.payers, Math.min(3, st.cast.payers.length));
    await payCreationFees(
      sim,
      users.map((user) => ({ id: prng.bytes32(), user, amount: creationFee(ctx) })),
    );
  }
  if (e === 2 && s === 0) {
    for (const id of ids(sch.pauseResume)) await sim.setDatanetStatus(id, 1);
    for (const id of ids(sch.disableValidators)) {
      const validators = [...sim.truth.datanet(id).validators];
      if (validators.length < 2) continue;
      const validator = prng.pick(validators);
      await sim.setValidator(id, validator, false);
      sch.disabled.push({ datanetId: id, validator });
    }
  }
  if (e === 2 && s === 1) {
    // Every spammer is slashed once (at most 40 of them: each slash is a transaction of its own).
    const spammers = st.cast.contributors.filter((c) => c.behaviour === 'spammer').slice(0, 40);
    for (const c of spammers) await slashOnce(ctx, c.address, 'duplicate spam');
    await slashOnce(ctx, sch.twiceSlashed, 'low quality');
  }
  if (e === 3 && s === 0) {
    for (const id of ids(sch.pauseResume)) await sim.setDatanetStatus(id, 0);
    for (const id of ids(sch.close)) await sim.setDatanetStatus(id, 2);
    const again = sch.disabled[0];
    if (again) await sim.setValidator(again.datanetId, again.validator, true);
  }
  if (e === 3 && s === 1) await slashOnce(ctx, sch.twiceSlashed, 'repeated low quality');
  if (e === 2 && s === 1 % plan.slices) settled += await settleDustInferences(ctx);
  if (e === Math.min(4, plan.epochs + 1) && s === 0)
    for (const id of ids(sch.pauseForever)) await sim.setDatanetStatus(id, 1);
  if (e === 2 && s === 2 % plan.slices) await runDoubleWithdrawal(ctx, false);
  if (e === 3 && s === 2 % plan.slices) await runDoubleWithdrawal(ctx, true);
  if (s === plan.slices - 1) {
    for (const modelId of st.modelIds)
      if (prng.chance(0.2)) {
        const version = sim.truth.models.get(modelId)!.adapters + 1;
        await sim.publishAdapter(modelId, prng.bytes32(), `ipfs://adapter-${modelId}-${version}`);
      }
  }
  return settled;
}

/** Runs only the setup (Datanets, validators, models, credits, bridge balances, fee split): 'none' + live traffic. */
export async function runScenarioSetup(ctx: TrafficContext): Promise<void> {
  await setup(ctx);
  await ctx.sim.setFeeSplit(FIRST_SPLIT);
  await ctx.sim.sender.flush();
  ctx.sim.syncStats();
}

/** Runs the whole scenario on a fresh deployment; `log` receives one progress line per epoch. */
export async function runScenarioTraffic(ctx: TrafficContext, log: (msg: string) => void): Promise<void> {
  const { sim, plan, st } = ctx;
  const t0 = Date.now();
  const keyed = new Set([
    st.cast.admin,
    ...st.cast.payers,
    ...st.cast.contributors.filter((c) => c.keyed).map((c) => c.address),
  ]);
  const sch = await setup(ctx);
  await sim.sender.flush();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  log(
    `setup: ${plan.datanets} Datanets, ${plan.models} models, ${sim.sender.stats.transactions} transactions, ${secs()}`,
  );
  for (let e = 1; e <= plan.epochs + 1; e++) {
    for (let s = 0; s < plan.slices; s++) {
      st.slice++;
      // Special settlements count towards the slice's inferences (scenario sizes stay as planned).
      const special = await specialEvents(ctx, sch, e, s);
      const inferences = Math.max(0, share(plan.inferencesPerEpoch, plan.slices, s) - special);
      await runReviews(ctx);
      await runSettlements(ctx, Math.floor(inferences / 2));
      await runSubmissions(ctx, share(plan.contributionsPerEpoch, plan.slices, s));
      await runSettlements(ctx, inferences - Math.floor(inferences / 2));
      await runBridge(ctx, share(plan.bridgeTransfersPerEpoch, plan.slices, s));
      await runCredits(ctx, share(plan.creditPurchasesPerEpoch, plan.slices, s));
      const claims =
        e > plan.epochs && s === plan.slices - 1
          ? st.pendingClaims.length
          : Math.ceil(st.pendingClaims.length / (plan.slices - s));
      await runClaims(ctx, claims, keyed);
    }
    if (e <= plan.epochs) {
      const tree = sim.truth.currentEpochTree();
      const wrong = e === plan.wrongEpoch && tree.amounts.size > 0;
      const tamper = wrong ? { account: ctx.prng.pick([...tree.amounts.keys()]), delta: WRONG_ROOT_DELTA } : undefined;
      const epoch = await closeEpoch(sim, tamper);
      if (!wrong) chooseClaims(ctx, epoch);
    }
    await sim.sender.flush();
    sim.syncStats();
    const { transactions, events } = sim.sender.stats;
    const open = e > plan.epochs ? ' (left open)' : '';
    log(`epoch ${e}/${plan.epochs + 1}${open}: ${transactions} transactions, ${events} events, ${secs()}`);
  }
}
