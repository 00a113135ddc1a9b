/**
 * The `small` scenario with seed 1 (the one the indexer's end-to-end test runs) must contain every
 * edge case of PROTOCOL.md sections 3 to 5. Checked here from the produced ground truth, and from
 * a naive replay of the chain's own logs where the ground truth cannot tell (what an attribution
 * pointed at when it was recorded, which split was in force), which also recomputes every
 * reputation history block by block from the chain alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeEventLog, type Abi, type Hex } from 'viem';
import { CONTRACT_NAMES, type ContractName, type GroundTruth, type TruthReputation } from '../types';
import { computeReputation, type ReputationInputs } from '../truth/reputation';
import { startDevnet, type Devnet } from './devnet';
import { SCENARIO_PLANS } from './plans';
import { createRpc } from './rpc';

interface DecodedLog {
  event: string;
  args: Record<string, unknown>;
  block: number;
}

const ABIS = Object.fromEntries(
  CONTRACT_NAMES.map((n) => [
    n,
    JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'abi', `${n}.json`), 'utf8')) as Abi,
  ]),
) as Record<ContractName, Abi>;

/** Every log of the configured contracts, in chain order, decoded with the indexer's abi/*.json. */
async function fetchLogs(devnet: Devnet): Promise<DecodedLog[]> {
  const rpc = createRpc(devnet.rpcUrl);
  const byAddress = new Map(CONTRACT_NAMES.map((n) => [devnet.deployment.contracts[n], n]));
  const logs = await rpc.call<{ address: string; topics: Hex[]; data: Hex; blockNumber: string }[]>('eth_getLogs', [
    { fromBlock: '0x0', toBlock: 'latest', address: [...byAddress.keys()] },
  ]);
  return logs.map((log) => {
    const abi = ABIS[byAddress.get(log.address.toLowerCase())!];
    const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    return {
      event: String(decoded.eventName),
      args: decoded.args as unknown as Record<string, unknown>,
      block: Number(log.blockNumber),
    };
  });
}

type Status = 'PENDING' | 'ACCEPTED' | 'REJECTED';
interface Split {
  protocolBps: number;
  contributorsBps: number;
}

/** What the replay of the chain's logs saw. */
interface Replay {
  /** Attribution items by the status of their contribution when recorded (UNKNOWN: never submitted). */
  attributedTo: Record<Status | 'UNKNOWN' | 'REREVIEWED', number>;
  /** inferenceId -> the split in force (null before the first FeeSplitSet) and the fee. */
  settled: Map<string, { split: Split | null; fee: bigint; splitIndex: number }>;
  feeSplits: number;
  /** Eligible attribution items (split in force) whose share rounds down to 0 wei. */
  zeroShares: number;
  /** address -> end-of-block score history, by the rules of PROTOCOL.md section 5. */
  history: Map<string, { block: number; score: number }[]>;
  inputs: Map<string, ReputationInputs>;
}

function replay(logs: DecodedLog[]): Replay {
  const contributions = new Map<bigint, { contributor: string; status: Status; quality: number; reviews: number }>();
  const firstHash = new Set<string>();
  const inputs = new Map<string, ReputationInputs>();
  const history = new Map<string, { block: number; score: number }[]>();
  const r: Replay = {
    attributedTo: { PENDING: 0, ACCEPTED: 0, REJECTED: 0, UNKNOWN: 0, REREVIEWED: 0 },
    settled: new Map(),
    feeSplits: 0,
    zeroShares: 0,
    history,
    inputs,
  };
  let split: Split | null = null;
  let lastFee = 0n;
  let touched = new Set<string>();
  let block = -1;
  const of = (address: unknown) => {
    const key = String(address).toLowerCase();
    let i = inputs.get(key);
    if (i === undefined) {
      inputs.set(key, (i = { accepted: 0, rejected: 0, duplicates: 0, slashes: 0, earned: 0n, acceptedQualitySum: 0 }));
      history.set(key, []);
    }
    touched.add(key);
    return i;
  };
  const endBlock = () => {
    for (const address of touched) {
      const { score } = computeReputation(inputs.get(address)!);
      const h = history.get(address)!;
      if (h.length === 0 || h[h.length - 1].score !== score) h.push({ block, score });
    }
    touched = new Set();
  };
  for (const { event, args, block: b } of logs) {
    if (b !== block) {
      endBlock();
      block = b;
    }
    if (event === 'ContributionSubmitted') {
      const contributor = String(args.contributor).toLowerCase();
      const key = `${String(args.datanetId)}-${String(args.dataHash)}`;
      const i = of(contributor);
      if (firstHash.has(key)) i.duplicates++;
      firstHash.add(key);
      contributions.set(args.contributionId as bigint, { contributor, status: 'PENDING', quality: 0, reviews: 0 });
    } else if (event === 'ContributionReviewed') {
      const c = contributions.get(args.contributionId as bigint)!;
      const i = of(c.contributor);
      if (c.status === 'ACCEPTED') {
        i.accepted--;
        i.acceptedQualitySum -= c.quality;
      } else if (c.status === 'REJECTED') i.rejected--;
      c.status = args.accepted ? 'ACCEPTED' : 'REJECTED';
      c.quality = Number(args.qualityBps);
      c.reviews++;
      if (c.status === 'ACCEPTED') {
        i.accepted++;
        i.acceptedQualitySum += c.quality;
      } else i.rejected++;
    } else if (event === 'ContributorSlashed') {
      of(args.contributor).slashes++;
    } else if (event === 'FeeSplitSet') {
      split = { protocolBps: Number(args.protocolBps), contributorsBps: Number(args.contributorsBps) };
      r.feeSplits++;
    } else if (event === 'InferenceSettled') {
      lastFee = args.fee as bigint;
      r.settled.set(String(args.inferenceId), { split, fee: lastFee, splitIndex: r.feeSplits });
    } else if (event === 'AttributionRecorded') {
      // Follows its InferenceSettled in the same transaction (PROTOCOL.md section 3).
      const C = split === null ? 0n : (lastFee * BigInt(split.contributorsBps)) / 10_000n;
      const weights = args.weightsPpm as number[];
      (args.contributionIds as bigint[]).forEach((id, k) => {
        const c = contributions.get(id);
        if (c === undefined) return void r.attributedTo.UNKNOWN++;
        r.attributedTo[c.status]++;
        if (c.reviews >= 2) r.attributedTo.REREVIEWED++;
        const amount = (C * BigInt(weights[k])) / 1_000_000n;
        if (c.status === 'ACCEPTED' && split !== null && amount === 0n) r.zeroShares++;
        if (c.status === 'ACCEPTED' && amount > 0n) of(c.contributor).earned += amount;
      });
    }
  }
  endBlock();
  return r;
}

describe('small scenario (seed 1) edge cases', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'devnet-edge-'));
  const plan = SCENARIO_PLANS.small;
  let devnet: Devnet;
  let truth: GroundTruth;
  let chain: Replay;

  before(async () => {
    devnet = await startDevnet({ port: 0, scenario: 'small', seed: 1, out: path.join(dir, 'deployment.json') });
    truth = devnet.groundTruth;
    chain = replay(await fetchLogs(devnet));
  });
  after(async () => {
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('attributes to rejected, pending, re-reviewed and never-submitted contributions', () => {
    const { attributedTo } = chain;
    for (const kind of ['REJECTED', 'PENDING', 'REREVIEWED', 'UNKNOWN', 'ACCEPTED'] as const)
      assert.ok(attributedTo[kind] > 0, `no attribution to a ${kind} contribution`);
    assert.equal(attributedTo.UNKNOWN, truth.anomalies.UNKNOWN_CONTRIBUTION);
  });

  it('changes the fee split, settles before any split, and settles inferences without attribution', () => {
    assert.ok(chain.feeSplits >= 2, 'a fee-split change');
    const perSplit = new Map<number, number>();
    for (const s of chain.settled.values()) perSplit.set(s.splitIndex, (perSplit.get(s.splitIndex) ?? 0) + 1);
    for (let k = 0; k <= chain.feeSplits; k++) assert.ok((perSplit.get(k) ?? 0) > 0, `no inference under split #${k}`);
    const unattributed = Object.entries(truth.inferences).filter(
      ([id, i]) => i.attributions === 0 && chain.settled.get(id)!.split !== null,
    );
    assert.ok(unattributed.length > 0, 'an inference with no attribution under a split');
    for (const [, i] of unattributed) {
      assert.equal(i.contributorsAmount, '0');
      assert.equal(i.datanetOwnersAmount, '0');
      assert.equal(BigInt(i.protocolAmount) + BigInt(i.modelOwnerAmount), BigInt(i.fee));
    }
  });

  it('leaves rounding dust to the protocol', () => {
    // All attributions eligible: everything above P is rounding dust.
    const dusty = Object.entries(truth.inferences).filter(([id, i]) => {
      const { split, fee } = chain.settled.get(id)!;
      if (split === null || i.attributions === 0 || i.eligible !== i.attributions) return false;
      return BigInt(i.protocolAmount) > (fee * BigInt(split.protocolBps)) / 10_000n;
    });
    assert.ok(dusty.length > 0, 'an inference with rounding dust');
    // A 1-wei fee with eligible attributions: every share (the model owner's too) rounds to 0.
    assert.ok(
      Object.values(truth.inferences).some((i) => i.fee === '1' && i.eligible > 0 && i.protocolAmount === '1'),
      'an all-dust inference',
    );
    // Zero-amount payments: not leaves of any tree, not in any epoch's roles.
    assert.ok(chain.zeroShares > 0, 'an eligible attribution whose share rounds to 0 wei');
    for (const e of Object.values(truth.epochs)) {
      for (const roles of Object.values(e.roles)) for (const v of Object.values(roles)) assert.ok(BigInt(v!) > 0n);
      for (const v of Object.values(e.accounts)) assert.ok(BigInt(v) > 0n);
    }
  });

  it('pays some account in several roles within one epoch', () => {
    const multi = Object.values(truth.epochs).flatMap((e) =>
      Object.values(e.roles).filter((r) => Object.keys(r).length >= 2 && r.CONTRIBUTOR !== undefined),
    );
    assert.ok(multi.length > 0, 'a contributor who also earns as a Datanet or model owner in the same epoch');
  });

  it('has duplicates and a contributor slashed twice', () => {
    const reps = Object.values(truth.reputation);
    assert.ok(reps.some((r) => r.duplicates > 0));
    const twice = reps.filter((r) => r.slashes >= 2);
    assert.ok(twice.length > 0, 'a contributor slashed twice');
    for (const r of twice) {
      const base = Math.floor((4 * r.acceptanceBps + 3 * r.qualityBps + 3 * r.impactBps) / 10);
      assert.equal(r.score, Math.floor(base / (10 * 2 ** r.slashes)));
    }
  });

  it('posts one wrong root, which nobody claims, and claims part of every correct epoch', () => {
    const closed = Object.entries(truth.epochs).filter(([, e]) => e.closed);
    assert.equal(closed.length, plan.epochs);
    for (const [no, e] of closed) {
      if (Number(no) === plan.wrongEpoch) {
        assert.notEqual(e.postedRoot, e.expectedRoot);
        assert.ok(e.earningAccounts > 0);
        assert.deepEqual(e.claimedBy, {});
        assert.equal(e.claims, 0);
      } else {
        assert.equal(e.postedRoot, e.expectedRoot);
        assert.ok(e.claims > 0 && e.claims < e.earningAccounts, `epoch ${no}: ${e.claims}/${e.earningAccounts}`);
        assert.equal(Object.keys(e.claimedBy).length, e.claims);
        for (const [a, v] of Object.entries(e.claimedBy)) assert.equal(v, e.accounts[a]);
      }
      assert.equal(e.earningAccounts, Object.keys(e.accounts).length);
    }
  });

  it('ends with an open epoch: pending rewards for some, claimable rewards for others', () => {
    const open = Object.values(truth.epochs).filter((e) => !e.closed);
    assert.equal(open.length, 1);
    const accounts = Object.values(truth.accounts);
    const sum = (xs: string[]) => xs.reduce((a, x) => a + BigInt(x), 0n);
    assert.ok(accounts.some((a) => BigInt(a.pendingRewards) > 0n));
    assert.ok(accounts.some((a) => BigInt(a.claimable) > 0n));
    assert.equal(sum(accounts.map((a) => a.pendingRewards)), BigInt(open[0].accruedToAccounts));
    const closedAccrued = sum(
      Object.values(truth.epochs)
        .filter((e) => e.closed)
        .map((e) => e.accruedToAccounts),
    );
    assert.equal(sum(accounts.map((a) => a.claimable)), closedAccrued - BigInt(truth.totals.claimed));
  });

  it('adds the epoch breakdowns up to the all-time figures', () => {
    const epochs = Object.values(truth.epochs);
    const sum = (xs: (string | undefined)[]) => xs.reduce((a, x) => a + BigInt(x ?? '0'), 0n).toString();
    for (const [address, a] of Object.entries(truth.accounts)) {
      assert.equal(sum(epochs.map((e) => e.roles[address]?.CONTRIBUTOR)), a.earnedAsContributor);
      assert.equal(sum(epochs.map((e) => e.roles[address]?.DATANET_OWNER)), a.earnedAsDatanetOwner);
      assert.equal(sum(epochs.map((e) => e.roles[address]?.MODEL_OWNER)), a.earnedAsModelOwner);
      assert.equal(sum([a.claimable, a.pendingRewards, a.claimed]), a.earnedTotal);
    }
    for (const [id, d] of Object.entries(truth.datanets)) {
      assert.equal(sum(epochs.map((e) => e.datanets[id]?.ownerEarned)), d.ownerEarned);
      assert.equal(sum(epochs.map((e) => e.datanets[id]?.contributorsEarned)), d.contributorsEarned);
    }
    for (const [id, m] of Object.entries(truth.models)) {
      assert.equal(
        epochs.reduce((n, e) => n + (e.models[id]?.inferences ?? 0), 0),
        m.inferences,
      );
      for (const k of ['fees', 'ownerEarned', 'contributorsEarned', 'datanetOwnersEarned', 'protocolEarned'] as const)
        assert.equal(sum(epochs.map((e) => e.models[id]?.[k])), m[k], `model ${id} ${k}`);
    }
  });

  it('matches, address by address, the reputation replayed from the chain block by block', () => {
    assert.deepEqual(Object.keys(truth.reputation).sort(), [...chain.history.keys()].sort());
    for (const [address, rep] of Object.entries(truth.reputation)) {
      const i = chain.inputs.get(address)!;
      const expected: TruthReputation = {
        ...i,
        earned: i.earned.toString(),
        ...computeReputation(i),
        history: chain.history.get(address)!,
      };
      assert.deepEqual(rep, expected, address);
    }
    const histories = Object.values(truth.reputation).map((r) => r.history);
    assert.ok(histories.some((h) => h.length >= 5));
    for (const h of histories) {
      for (let k = 1; k < h.length; k++) assert.ok(h[k].block > h[k - 1].block && h[k].score !== h[k - 1].score);
      assert.ok(h[h.length - 1].block <= truth.headBlock);
    }
  });
});
