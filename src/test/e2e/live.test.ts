/**
 * Live updates end to end: a real hardhat node, the processor as a child process committing into real
 * Postgres, and the API's SSE subscriptions; plus `_meta`, `/ready` and `/health` while the processor
 * starts, catches up and sits on an idle chain.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { keccak256, toHex, type Hex } from 'viem';
import { createApiServer, type ApiServer } from '../../api/server';
import { rpc } from '../../devnet/chain';
import { withDevnet, type TestDevnet } from '../../devnet/contract-testkit';
import { createGraphqlClient } from '../graphql';
import { setupTestDatabase } from '../postgres';
import { startTestProcessor, waitForHeight } from '../processorChild';
import { subscribeSse, type SseSubscription } from '../sse';

const h = (s: string): Hex => keccak256(toHex(s));
const base = (url: string) => url.replace(/\/graphql$/, '');

/** Takes events until one satisfies `match`; fails after `timeoutMs`. */
async function until<T>(sub: SseSubscription, select: (data: any) => T, match: (v: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data, errors } = await sub.next(Math.max(1, deadline - Date.now()));
    assert.equal(errors, undefined, JSON.stringify(errors));
    const v = select(data);
    if (match(v)) return v;
  }
}

const HEAD = 'subscription { indexerHead { height hash fromBlock reorg } }';
const CONTRIBUTOR = `subscription ($a: String!) { contributorUpdates(address: $a) {
  address toBlock earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimable pending
  reputationScore acceptanceBps qualityBps impactBps } }`;
const MODEL = `subscription ($m: ID!) { modelInferences(modelId: $m) { toBlock inference { id fee payer contributorsAmount } } }`;

test('live updates, _meta and readiness against a real processor', { timeout: 240_000 }, async (t) => {
  await withDevnet(
    async (dn: TestDevnet) => {
      const [, owner, validator, alice, bob, modelOwner, payer] = (await dn.walletClient.getAddresses()).map((a) =>
        a.toLowerCase(),
      );
      const c = dn.deployment.contracts;
      const reg = (fn: string, args: unknown[], from: string) =>
        dn.send('DatanetRegistry', c.DatanetRegistry, fn, args, { from });
      const settle = (id: string, fee: bigint, ids: bigint[], w: number[]) =>
        dn.send('AttributionEngine', c.AttributionEngine, 'settle', [
          { inferenceId: h(id), modelId: 1n, payer, fee, contributionIds: ids, weightsPpm: w },
        ]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-live-'));
      const deploymentFile = path.join(dir, 'deployment.json');
      fs.writeFileSync(deploymentFile, JSON.stringify(dn.deployment));
      const db = await setupTestDatabase();
      let statements = 0;
      const api: ApiServer = await createApiServer({
        dbUrl: db.url,
        port: 0,
        host: '127.0.0.1',
        rpcUrl: dn.node.rpcUrl,
        finalityConfirmations: 5,
        readyMaxLagBlocks: 2,
        onQuery: () => statements++,
      });
      const gql = createGraphqlClient(api.url);
      const probe = async (p: string) => {
        const res = await fetch(`${base(api.url)}${p}`);
        return { status: res.status, body: (await res.json()) as any };
      };
      const subs: SseSubscription[] = [];
      const open = async (query: string, variables: Record<string, unknown> = {}) => {
        const s = subscribeSse(api.url, query, variables);
        subs.push(s);
        await s.opened;
        return s;
      };
      let proc: ReturnType<typeof startTestProcessor> | undefined;
      try {
        await api.live.listening();
        await t.test('/health is up and /ready is 503 before anything is indexed', async () => {
          assert.deepEqual(await probe('/health'), { status: 200, body: { status: 'ok', database: 'ok' } });
          const ready = await probe('/ready');
          assert.equal(ready.status, 503);
          assert.equal(ready.body.ready, false);
          assert.equal(ready.body.reason, 'nothing indexed yet');
        });

        proc = startTestProcessor({ dbUrl: db.url, rpcUrl: dn.node.rpcUrl, deploymentFile });
        const deployedHead = Number(await rpc<string>(dn.node.rpcUrl, 'eth_blockNumber'));
        await waitForHeight(db, proc, deployedHead);
        const head = await open(HEAD);
        const aliceSub = await open(CONTRIBUTOR, { a: alice });
        const ownerSub = await open(CONTRIBUTOR, { a: owner });
        const modelSub = await open(MODEL, { m: '1' });

        await t.test('an SSE subscriber receives the head the processor committed', async () => {
          const receipt = await reg('createDatanet', ['A', 'ipfs://a'], owner);
          const event = await until(
            head,
            (d) => d.indexerHead,
            (e) => e.height >= Number(receipt.blockNumber),
          );
          assert.deepEqual(event, {
            height: Number(receipt.blockNumber),
            hash: receipt.blockHash,
            fromBlock: event.fromBlock,
            reorg: false,
          });
          assert.ok(event.fromBlock <= event.height);
        });

        const fee = 1_000_003n;
        await t.test('a contributor subscription receives its payout and reputation', async () => {
          await reg('setValidator', [1n, validator, true], owner);
          await dn.send('ModelRegistry', c.ModelRegistry, 'registerModel', ['M', [1n]], { from: modelOwner });
          await dn.send('AttributionEngine', c.AttributionEngine, 'setFeeSplit', [1000, 2000, 1500, 5500]);
          await reg('submitContribution', [1n, h('x'), 10n, 'u'], alice);
          await reg('reviewContribution', [1n, true, 9000], validator);
          const receipt = await settle('i1', fee, [1n], [1_000_000]);
          // PROTOCOL.md section 3, by hand: C = F*5500/10000 to the only (fully weighted) contribution,
          // D = F*1500/10000 to its Datanet's owner. Reputation v1 of alice (1 accepted, quality 9000,
          // impact 0 for a few wei): acceptance 10000*2/3 = 6666, base (4*6666 + 3*9000)/10 = 5366,
          // score 5366/10 = 536.
          const toAlice = (fee * 5500n) / 10000n;
          const toOwner = (fee * 1500n) / 10000n;
          const a = await until(
            aliceSub,
            (d) => d.contributorUpdates,
            (e) => e.toBlock >= Number(receipt.blockNumber),
          );
          assert.deepEqual(a, {
            address: alice,
            toBlock: Number(receipt.blockNumber),
            earnedAsContributor: String(toAlice),
            earnedAsDatanetOwner: '0',
            earnedAsModelOwner: '0',
            earnedTotal: String(toAlice),
            claimable: '0',
            pending: String(toAlice),
            reputationScore: 536,
            acceptanceBps: 6666,
            qualityBps: 9000,
            impactBps: 0,
          });
          const o = await until(
            ownerSub,
            (d) => d.contributorUpdates,
            (e) => e.toBlock >= Number(receipt.blockNumber),
          );
          assert.equal(o.earnedAsDatanetOwner, String(toOwner));
          // The event equals what the database holds.
          const [row] = await db.query<Record<string, unknown>>(
            `SELECT earned_as_contributor::text AS e, earned_total::text AS t, reputation_score AS s FROM account WHERE id = $1`,
            [alice],
          );
          assert.deepEqual(row, { e: a.earnedAsContributor, t: a.earnedTotal, s: a.reputationScore });
        });

        await t.test('a model subscription receives the new inference', async () => {
          const e = await until(
            modelSub,
            (d) => d.modelInferences,
            (x) => x.inference.id === h('i1'),
          );
          assert.deepEqual(e.inference, {
            id: h('i1'),
            fee: String(fee),
            payer,
            contributorsAmount: String((fee * 5500n) / 10000n),
          });
        });

        await t.test('many subscribers cost one query per topic per notification', async () => {
          const more = await Promise.all([
            ...Array.from({ length: 40 }, () => open(HEAD)),
            ...Array.from({ length: 40 }, (_, i) => open(CONTRIBUTOR, { a: [alice, bob, owner, payer][i % 4] })),
            ...Array.from({ length: 20 }, () => open(MODEL, { m: '1' })),
          ]);
          const before = { ...api.live.stats(), statements };
          const receipt = await settle('i2', 5_000_000n, [1n], [1_000_000]);
          const block = Number(receipt.blockNumber);
          await Promise.all(
            more.slice(40, 50).map((s, i) =>
              i % 4 === 0
                ? until(
                    s,
                    (d) => d.contributorUpdates,
                    (e) => e.toBlock >= block,
                  )
                : null,
            ),
          );
          await Promise.all(
            more.slice(80).map((s) =>
              until(
                s,
                (d) => d.modelInferences,
                (e) => e.inference.id === h('i2'),
              ),
            ),
          );
          await new Promise((r) => setTimeout(r, 300)); // let any further dispatch run
          const after = { ...api.live.stats(), statements };
          const dispatches = after.dispatches - before.dispatches;
          const notifications = after.notifications - before.notifications;
          assert.ok(dispatches >= 1 && dispatches <= notifications, JSON.stringify({ dispatches, notifications }));
          assert.equal(after.queries.contributors - before.queries.contributors, dispatches);
          assert.equal(after.queries.models - before.queries.models, dispatches);
          // Every statement the API ran meanwhile was one of those (the selections are flat).
          assert.equal(after.statements - before.statements, 2 * dispatches);
          assert.ok(after.subscribers.head >= 41 && after.subscribers.contributors >= 42);
        });

        await t.test('on an idle chain the indexed height reaches the head and /ready turns 200', async () => {
          // 20 blocks without any event (beyond the 5-block finality window), one evm_mine each
          // (hardhat_mine's batch of blocks answers eth_getBlockByHash with a zero parent hash, which
          // the processor cannot follow).
          for (let i = 0; i < 20; i++) await rpc(dn.node.rpcUrl, 'evm_mine');
          const chainHead = Number(await rpc<string>(dn.node.rpcUrl, 'eth_blockNumber'));
          const e = await until(
            head,
            (d) => d.indexerHead,
            (x) => x.height >= chainHead,
          );
          assert.equal(e.height, chainHead);
          const deadline = Date.now() + 10_000;
          let meta: any;
          do {
            await new Promise((r) => setTimeout(r, 1100)); // the API caches the chain head for 1 s
            ({ _meta: meta } = await gql('{ _meta { indexedHeight indexedHash chainHead lagBlocks lagSeconds } }'));
          } while (meta.lagBlocks !== 0 && Date.now() < deadline);
          const block = await rpc<{ hash: string }>(dn.node.rpcUrl, 'eth_getBlockByNumber', [
            `0x${chainHead.toString(16)}`,
            false,
          ]);
          assert.deepEqual(meta, {
            indexedHeight: chainHead,
            indexedHash: block.hash,
            chainHead,
            lagBlocks: 0,
            lagSeconds: 0,
          });
          const ready = await probe('/ready');
          assert.equal(ready.status, 200, JSON.stringify(ready.body));
          assert.equal(ready.body.lagBlocks, 0);
        });

        await t.test('/ready is 503 while the processor is behind, /health stays 200', async () => {
          await proc!.kill();
          for (let i = 0; i < 5; i++) await rpc(dn.node.rpcUrl, 'evm_mine');
          await new Promise((r) => setTimeout(r, 1100));
          const ready = await probe('/ready');
          assert.equal(ready.status, 503);
          assert.equal(ready.body.lagBlocks, 5);
          assert.equal((await probe('/health')).status, 200);
        });
      } finally {
        for (const s of subs) s.close();
        await proc?.kill();
        await api.close();
        await db.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    { accounts: 10 },
  );
});
