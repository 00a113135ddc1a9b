import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeEventLog, encodeFunctionData, type Abi, type Hex } from 'viem';
import { CONTRACT_NAMES, type ContractName, type GroundTruth } from '../types';
import { DATANET_REGISTRY_ABI } from './abis';
import { startDevnet, type Devnet } from './devnet';
import { SCENARIO_PLANS } from './plans';
import { createRpc } from './rpc';
import { startLiveTraffic } from './live';
import { simulateTraffic } from './run';
import { createTxSender } from './sender';
import { WRONG_ROOT_DELTA } from './traffic';

interface Log {
  address: string;
  topics: Hex[];
  data: Hex;
  blockNumber: string;
  transactionHash: string;
}

const ABIS = Object.fromEntries(
  CONTRACT_NAMES.map((n) => [
    n,
    JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'abi', `${n}.json`), 'utf8')) as Abi,
  ]),
) as Record<ContractName, Abi>;

/** Every log of the 9 configured contracts, decoded with the indexer's abi/*.json. */
async function fetchLogs(
  devnet: Devnet,
): Promise<{ name: ContractName; event: string; args: Record<string, unknown>; log: Log }[]> {
  const rpc = createRpc(devnet.rpcUrl);
  const byAddress = new Map(CONTRACT_NAMES.map((n) => [devnet.deployment.contracts[n], n]));
  const logs = await rpc.call<Log[]>('eth_getLogs', [
    { fromBlock: '0x0', toBlock: 'latest', address: [...byAddress.keys()] },
  ]);
  return logs.map((log) => {
    const name = byAddress.get(log.address.toLowerCase())!;
    const decoded = decodeEventLog({ abi: ABIS[name], data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    return { name, event: String(decoded.eventName), args: decoded.args as unknown as Record<string, unknown>, log };
  });
}

describe('devnet small scenario', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'devnet-scenario-'));
  let devnet: Devnet;
  let truth: GroundTruth;

  before(async () => {
    devnet = await startDevnet({ port: 0, scenario: 'small', seed: 5, out: path.join(dir, 'a', 'deployment.json') });
    truth = devnet.groundTruth;
  });
  after(async () => {
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the deployment and the ground truth beside it', () => {
    assert.equal(devnet.groundTruthFile, path.join(dir, 'a', 'ground-truth.json'));
    assert.deepEqual(JSON.parse(readFileSync(devnet.deploymentFile, 'utf8')).contracts, devnet.deployment.contracts);
    assert.deepEqual(JSON.parse(readFileSync(devnet.groundTruthFile, 'utf8')), truth);
    assert.equal(truth.scenario, 'small');
    assert.equal(truth.totals.contributions, 500);
    assert.equal(truth.totals.inferences, 300);
  });

  it('counts as events exactly the logs eth_getLogs returns for the 9 contracts', async () => {
    const logs = await fetchLogs(devnet);
    assert.equal(truth.totals.events, logs.length);
    assert.equal(Math.max(...logs.map((l) => Number(l.log.blockNumber))), truth.headBlock);
  });

  it('posts the expected root for every correct epoch and a wrong one for exactly one epoch, and leaves the last open', async () => {
    const closed = (await fetchLogs(devnet)).filter((l) => l.event === 'EpochClosed');
    const plan = SCENARIO_PLANS.small;
    assert.equal(closed.length, plan.epochs);
    for (const { args } of closed) {
      const e = truth.epochs[String(args.epoch)];
      assert.equal(e.closed, true);
      assert.equal(e.postedRoot, args.merkleRoot);
      assert.equal(e.postedTotal, String(args.totalAmount));
      if (Number(args.epoch) === plan.wrongEpoch) {
        assert.notEqual(e.postedRoot, e.expectedRoot);
        assert.equal(BigInt(e.postedTotal!) - BigInt(e.expectedTotal!), WRONG_ROOT_DELTA);
      } else {
        assert.equal(e.postedRoot, e.expectedRoot);
        assert.equal(e.postedTotal, e.expectedTotal);
      }
    }
    assert.equal(truth.anomalies.EPOCH_ROOT_MISMATCH, 1);
    assert.equal(truth.epochs[String(plan.epochs + 1)].closed, false);
  });

  it('has every claim paid on chain, for leaves of correctly rooted epochs only', async () => {
    const claims = (await fetchLogs(devnet)).filter((l) => l.event === 'RewardClaimed');
    assert.ok(claims.length > 10);
    assert.equal(claims.length, truth.totals.claims);
    for (const { args } of claims) {
      const e = truth.epochs[String(args.epoch)];
      assert.equal(e.postedRoot, e.expectedRoot);
      assert.equal(e.accounts[String(args.account).toLowerCase()], String(args.amount));
    }
    assert.equal(claims.reduce((a, c) => a + (c.args.amount as bigint), 0n).toString(), truth.totals.claimed);
  });

  it('agrees with the chain on contribution ids, inference epochs and withdrawal hashes', async () => {
    const logs = await fetchLogs(devnet);
    const submitted = logs.filter((l) => l.event === 'ContributionSubmitted');
    assert.equal(submitted.length, truth.totals.contributions);
    for (const { args } of submitted) {
      const c = truth.contributions[String(args.contributionId)];
      assert.equal(c.datanetId, String(args.datanetId));
      assert.equal(c.contributor, String(args.contributor).toLowerCase());
    }
    for (const { args } of logs.filter((l) => l.event === 'InferenceSettled')) {
      assert.equal(truth.inferences[String(args.inferenceId)].epoch, String(args.epoch));
    }
    const passed = logs.filter((l) => l.event === 'MessagePassed').map((l) => l.args.withdrawalHash);
    assert.deepEqual(passed, truth.bridge.withdrawalHashes);
  });

  it('settles every inference after exactly the reviews the truth saw (chain order = simulator order)', async () => {
    // A naive replay of the chain's own logs: status per contribution, counted at each AttributionRecorded.
    const status = new Map<bigint, 'PENDING' | 'ACCEPTED' | 'REJECTED'>();
    const seen = { PENDING: 0, REJECTED: 0, UNKNOWN: 0, flipToRejected: 0, flipToAccepted: 0 };
    let checked = 0;
    for (const { event, args } of await fetchLogs(devnet)) {
      if (event === 'ContributionSubmitted') status.set(args.contributionId as bigint, 'PENDING');
      else if (event === 'ContributionReviewed') {
        const before = status.get(args.contributionId as bigint);
        const after = args.accepted ? 'ACCEPTED' : 'REJECTED';
        if (before === 'ACCEPTED' && after === 'REJECTED') seen.flipToRejected++;
        if (before === 'REJECTED' && after === 'ACCEPTED') seen.flipToAccepted++;
        status.set(args.contributionId as bigint, after);
      } else if (event === 'AttributionRecorded') {
        const i = truth.inferences[String(args.inferenceId)];
        for (const id of args.contributionIds as bigint[]) {
          const st = status.get(id);
          if (st === undefined) seen.UNKNOWN++;
          else if (st !== 'ACCEPTED') seen[st]++;
        }
        const eligible = (args.contributionIds as bigint[]).filter((id) => status.get(id) === 'ACCEPTED').length;
        assert.equal(i.attributions, (args.contributionIds as bigint[]).length);
        assert.equal(i.eligible, eligible, String(args.inferenceId));
        checked++;
      }
    }
    assert.equal(checked, truth.totals.attributedInferences);
    assert.equal(seen.UNKNOWN, truth.anomalies.UNKNOWN_CONTRIBUTION);
    for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `no ${what} on chain`);
  });

  it('keeps the truth exact while live traffic runs', async () => {
    const session = devnet.session!;
    let snapshots = 0;
    const live = startLiveTraffic({
      ctx: session.ctx,
      opts: { closeEpochs: true, keyed: session.keyed },
      rate: 40,
      writeEveryMs: 300,
      onSnapshot: () => snapshots++,
      log: () => {},
    });
    await new Promise((r) => setTimeout(r, 1500));
    await live.stop();
    const now = session.groundTruth();
    assert.ok(snapshots >= 2);
    assert.ok(now.totals.events > truth.totals.events);
    assert.equal(now.totals.events, (await fetchLogs(devnet)).length);
    for (const [no, e] of Object.entries(now.epochs)) {
      if (e.closed && Number(no) !== SCENARIO_PLANS.small.wrongEpoch) assert.equal(e.postedRoot, e.expectedRoot);
    }
  });

  it('sends two withdrawals in one transaction', async () => {
    const perTx = new Map<string, number>();
    for (const { event, log } of await fetchLogs(devnet)) {
      if (event === 'MessagePassed') perTx.set(log.transactionHash, (perTx.get(log.transactionHash) ?? 0) + 1);
    }
    assert.ok([...perTx.values()].some((n) => n === 2));
  });

  it('covers the edge cases the indexer must handle', () => {
    const contributions = Object.values(truth.contributions);
    const dups = contributions.filter((c) => c.duplicateOf !== null);
    assert.ok(
      dups.some((c) => truth.contributions[c.duplicateOf!].contributor === c.contributor),
      'self-duplicates',
    );
    assert.ok(
      dups.some((c) => truth.contributions[c.duplicateOf!].contributor !== c.contributor),
      'duplicates of others',
    );
    assert.ok(
      contributions.some((c) => c.status === 'PENDING'),
      'never reviewed',
    );
    assert.ok(
      contributions.some((c) => c.reviews >= 2),
      're-reviewed',
    );
    assert.ok(truth.anomalies.UNKNOWN_CONTRIBUTION > 0, 'attributions to unknown contributions');
    const inferences = Object.values(truth.inferences);
    assert.ok(
      inferences.some((i) => i.attributions === 0),
      'inference without attribution',
    );
    assert.ok(
      inferences.some((i) => i.attributions > 0 && i.protocolAmount === i.fee),
      'settled before any fee split',
    );
    assert.ok(
      inferences.some((i) => i.attributions >= 10),
      'large attribution',
    );
    const statuses = new Set(Object.values(truth.datanets).map((d) => d.status));
    assert.deepEqual([...statuses].sort(), ['ACTIVE', 'CLOSED', 'PAUSED']);
    assert.ok(
      Object.values(truth.accounts).some((a) => a.slashes === 2),
      'a contributor slashed twice',
    );
    const multi = Object.values(truth.accounts).filter(
      (a) => a.contributions > 0 && BigInt(a.earnedAsDatanetOwner) > 0n && BigInt(a.earnedAsModelOwner) > 0n,
    );
    assert.ok(multi.length >= 1, 'one account earning in several roles');
    const withdrawals = Object.values(truth.bridge.accounts).flatMap((t) => Object.entries(t));
    assert.ok(
      withdrawals.some(([token, t]) => token === '0x0000000000000000000000000000000000000000' && t.withdrawalCount > 0),
      'native out',
    );
    assert.ok(
      truth.totals.bridgeDeposits > 0 && truth.totals.creditPurchases > 0 && truth.totals.datanetCreationFees > 0,
    );
  });

  it('gives the same ground truth for the same seed', async () => {
    const again = await startDevnet({
      port: 0,
      scenario: 'small',
      seed: 5,
      out: path.join(dir, 'b', 'deployment.json'),
    });
    try {
      assert.deepEqual(again.groundTruth, truth);
      assert.deepEqual(again.deployment.contracts, devnet.deployment.contracts);
    } finally {
      await again.stop();
    }
  });

  it('adds traffic to a session and keeps its truth exact, also on a reverted branch', async () => {
    const rpc = createRpc(devnet.rpcUrl);
    const snapshot = await rpc.call<string>('evm_snapshot');
    const branch = await devnet.session!.fork();
    const a = await simulateTraffic({
      rpcUrl: devnet.rpcUrl,
      deployment: devnet.deployment,
      transactions: 30,
      session: devnet.session!,
    });
    assert.ok(a.transactions > 0 && a.events > 0);
    assert.equal(a.groundTruth!.totals.events, (await fetchLogs(devnet)).length);
    await rpc.call('evm_revert', [snapshot]);
    const b = await simulateTraffic({
      rpcUrl: devnet.rpcUrl,
      deployment: devnet.deployment,
      transactions: 40,
      session: branch,
    });
    assert.equal(b.groundTruth!.totals.events, (await fetchLogs(devnet)).length);
    assert.equal(b.groundTruth!.headBlock, b.toBlock);
    assert.ok(b.groundTruth!.totals.contributions >= truth.totals.contributions);
  });

  it('reports a reverted transaction by its label and switches automine back on', async () => {
    const rpc = createRpc(devnet.rpcUrl);
    const sender = await createTxSender({ rpc, mode: 'batch', countedAddresses: [] });
    const data = encodeFunctionData({ abi: DATANET_REGISTRY_ABI, functionName: 'setDatanetStatus', args: [1n, 1] });
    const stranger = (await rpc.call<string[]>('eth_accounts'))[199];
    await sender.send({
      from: stranger,
      to: devnet.deployment.contracts.DatanetRegistry,
      data,
      gas: 100_000n,
      label: 'pause by a stranger',
    });
    await assert.rejects(
      sender.close(),
      /simulator transaction reverted: pause by a stranger \(tx 0x[0-9a-f]{64}, block \d+\)/,
    );
    assert.equal(await rpc.call('hardhat_getAutomine'), true);
  });

  it('sends detached traffic to a chain it did not create', async () => {
    const before = (await fetchLogs(devnet)).length;
    const r = await simulateTraffic({
      rpcUrl: devnet.rpcUrl,
      deployment: devnet.deployment,
      seed: 9,
      transactions: 10,
    });
    assert.equal(r.groundTruth, undefined);
    assert.equal((await fetchLogs(devnet)).length, before + r.events);
  });
});
