/**
 * Entry points that drive traffic against a running node and deployment: a whole scenario
 * (runScenario / startScenario), or a handful of extra transactions (simulateTraffic).
 */
import { decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { CONTRACT_NAMES, type Deployment, type GroundTruth } from '../types';
import { createTruthModel } from '../truth/model';
import { computeGroundTruth } from '../truth/snapshot';
import { DATANET_REGISTRY_ABI, MESSAGE_PASSER_ABI, MESSENGER_ABI, MODEL_REGISTRY_ABI, REWARD_VAULT_ABI } from './abis';
import { castActors } from './actors';
import { createTrafficState, type TrafficContext } from './generators';
import { liveStep } from './live';
import { SCENARIO_PLANS, scenarioPlan, type ScenarioPlan } from './plans';
import { createPrng, type Prng } from './prng';
import { createRpc, type Rpc } from './rpc';
import { createTxSender } from './sender';
import { Simulator, type SimState } from './simulator';
import { runScenarioSetup, runScenarioTraffic } from './traffic';

/** A scenario in progress: its simulator and bookkeeping, for live traffic or more transactions. */
export interface ScenarioSession {
  rpc: Rpc;
  ctx: TrafficContext;
  /** Keyed accounts of the cast. */
  keyed: ReadonlySet<string>;
  /** True when the truth knows every accrual of the open epoch (so it may close epochs). */
  complete: boolean;
  /** The ground truth as of now. */
  groundTruth(): GroundTruth;
  /** A deep copy of the session's state with its own sender (for a chain snapshot that may be reverted with evm_revert). */
  fork(): Promise<ScenarioSession>;
}

export interface RunScenarioParameters {
  rpcUrl: string;
  deployment: Deployment;
  /** small | medium | large; 'none' only runs the setup (Datanets, models, balances). */
  scenario: string;
  seed?: number;
  log?: (msg: string) => void;
}

const lower = (a: string) => a.toLowerCase();
const UINT240 = (1n << 240n) - 1n;

async function readUint(rpc: Rpc, to: string, abi: readonly unknown[], functionName: string): Promise<bigint> {
  const data = encodeFunctionData({ abi: abi as never, functionName } as never);
  const out = await rpc.call<Hex>('eth_call', [{ to, data }, 'latest']);
  return decodeFunctionResult({ abi: abi as never, functionName, data: out } as never) as unknown as bigint;
}

/** Seconds from one scenario block to the next (see ScenarioPlan.blockTime). */
function blockClock(plan: ScenarioPlan, prng: Prng): () => number {
  const { min, max, gapChance, gapSeconds } = plan.blockTime;
  return () => prng.int(min, max) + (prng.chance(gapChance) ? gapSeconds : 0);
}

async function createSession(params: RunScenarioParameters, complete: boolean): Promise<ScenarioSession> {
  const { deployment, seed = 1 } = params;
  const rpc = createRpc(params.rpcUrl);
  const plan = params.scenario === 'none' ? SCENARIO_PLANS.small : scenarioPlan(params.scenario);
  const accounts = (await rpc.call<string[]>('eth_accounts')).map(lower);
  const chainId = Number(await rpc.call<string>('eth_chainId'));
  const c = deployment.contracts;
  const [datanets, contributions, models, epoch, passer, messenger] = await Promise.all([
    readUint(rpc, c.DatanetRegistry, DATANET_REGISTRY_ABI, 'datanetCount'),
    readUint(rpc, c.DatanetRegistry, DATANET_REGISTRY_ABI, 'contributionCount'),
    readUint(rpc, c.ModelRegistry, MODEL_REGISTRY_ABI, 'modelCount'),
    readUint(rpc, c.RewardVault, REWARD_VAULT_ABI, 'currentEpoch'),
    readUint(rpc, c.L2ToL1MessagePasser, MESSAGE_PASSER_ABI, 'messageNonce'),
    readUint(rpc, c.L2CrossDomainMessenger, MESSENGER_ABI, 'messageNonce'),
  ]);
  const used = datanets + contributions + models > 0n || epoch !== 1n;
  if (complete && used) {
    throw new Error(
      'runScenario needs a fresh deployment (the registries already hold data): deploy again, or use simulateTraffic',
    );
  }
  const prng = createPrng(seed);
  const truth = createTruthModel({ chainId, scenario: params.scenario, seed, payoutLedger: plan.payoutLedger });
  truth.continueFrom({ datanets, contributions, models, epoch });
  const state: SimState = {
    truth,
    passerCount: passer & UINT240,
    messengerCount: messenger & UINT240,
    // Deposit nonces only need to be unique: a detached session starts far from the scenario's.
    depositNonce: complete ? 0n : prng.bigint(1n << 48n, 1n << 62n),
    tokenBalances: new Map(),
    multicall: null,
  };
  const sender = await createTxSender({
    rpc,
    mode: complete ? 'batch' : 'auto',
    countedAddresses: CONTRACT_NAMES.map((n) => c[n]),
    maxTxsPerBlock: plan.txsPerBlock,
    blockSeconds: blockClock(plan, prng.fork('time')),
  });
  const cast = castActors(plan, accounts, seed, prng.fork('cast'));
  const sim = new Simulator(sender, deployment, cast.admin, state);
  const behaviour = new Map(cast.contributors.map((x) => [x.address, x.behaviour]));
  const ctx: TrafficContext = { sim, plan, prng: prng.fork('traffic'), st: createTrafficState(cast), behaviour };
  const keyed = new Set([
    cast.admin,
    ...cast.payers,
    ...cast.contributors.filter((x) => x.keyed).map((x) => x.address),
  ]);
  return makeSession(rpc, ctx, keyed, complete);
}

function makeSession(rpc: Rpc, ctx: TrafficContext, keyed: ReadonlySet<string>, complete: boolean): ScenarioSession {
  let forks = 0;
  const session: ScenarioSession = {
    rpc,
    ctx,
    keyed,
    complete,
    groundTruth() {
      ctx.sim.syncStats();
      return computeGroundTruth(ctx.sim.truth);
    },
    async fork() {
      const { sim } = ctx;
      sim.syncStats();
      const state: SimState = { ...structuredClone({ ...sim.state, truth: undefined }), truth: sim.truth.clone() };
      const sender = await createTxSender({ rpc, mode: 'auto', countedAddresses: CONTRACT_NAMES.map((n) => sim.c[n]) });
      const copy = new Simulator(sender, sim.deployment, sim.admin, state);
      const st = structuredClone(ctx.st);
      const forked: TrafficContext = { ...ctx, sim: copy, st, prng: ctx.prng.fork(`fork-${++forks}`) };
      return makeSession(rpc, forked, keyed, complete);
    },
  };
  return session;
}

/** Runs a scenario on a fresh deployment and returns its session (use it for live traffic or more transactions). */
export async function startScenario(params: RunScenarioParameters): Promise<ScenarioSession> {
  const log = params.log ?? (() => {});
  const session = await createSession(params, true);
  const { ctx } = session;
  try {
    if (params.scenario === 'none') await runScenarioSetup(ctx);
    else await runScenarioTraffic(ctx, log);
    await ctx.sim.sender.close();
  } catch (err) {
    await ctx.sim.sender.close().catch(() => {});
    throw err;
  }
  ctx.sim.attachSender(
    await createTxSender({ rpc: session.rpc, mode: 'auto', countedAddresses: CONTRACT_NAMES.map((n) => ctx.sim.c[n]) }),
  );
  return session;
}

/** Runs a scenario on a fresh deployment (node with automine on) and returns its ground truth. */
export async function runScenario(params: RunScenarioParameters): Promise<GroundTruth> {
  return (await startScenario(params)).groundTruth();
}

export interface SimulateTrafficParameters {
  rpcUrl: string;
  deployment: Deployment;
  seed?: number;
  /** Number of traffic steps (each one or a few transactions). */
  transactions: number;
  /** Continue this session (its ground truth stays exact); without it a detached session is made. */
  session?: ScenarioSession;
}

export interface SimulateTrafficReturnType {
  transactions: number;
  events: number;
  fromBlock: number;
  toBlock: number;
  /** The session's ground truth after the traffic (only when a session was given). */
  groundTruth?: GroundTruth;
}

/**
 * Sends a handful of extra transactions (automine). A detached session (no `session`) creates its
 * own Datanet, validator and model first, attributes only to what it knows and never closes epochs.
 */
export async function simulateTraffic(params: SimulateTrafficParameters): Promise<SimulateTrafficReturnType> {
  const session =
    params.session ?? (await createSession({ ...params, scenario: 'small', seed: params.seed ?? 7 }, false));
  const { ctx } = session;
  const before = { ...ctx.sim.sender.stats };
  const fromBlock = Number(await session.rpc.call<string>('eth_blockNumber')) + 1;
  if (!params.session) await runDetachedSetup(ctx);
  for (let i = 0; i < params.transactions; i++)
    await liveStep(ctx, { closeEpochs: session.complete, keyed: session.keyed });
  await ctx.sim.sender.flush();
  const stats = ctx.sim.sender.stats;
  return {
    transactions: stats.transactions - before.transactions,
    events: stats.events - before.events,
    fromBlock,
    toBlock: stats.headBlock,
    groundTruth: params.session ? session.groundTruth() : undefined,
  };
}

async function runDetachedSetup(ctx: TrafficContext): Promise<void> {
  const { sim, st, prng } = ctx;
  const { cast } = st;
  const owner = prng.pick(cast.datanetOwners);
  const datanetId = await sim.createDatanet(owner, `Extra datanet ${sim.truth.nextDatanetId}`, 'ipfs://extra');
  st.datanetIds.push(datanetId);
  await sim.setValidator(datanetId, prng.pick(cast.validators), true);
  // Contributors prefer Datanet index 0: here that is the new Datanet.
  for (const c of cast.contributors) c.preferred = [0];
  st.modelIds.push(
    await sim.registerModel(prng.pick(cast.modelOwners), `Extra model ${sim.truth.nextModelId}`, [datanetId]),
  );
}
