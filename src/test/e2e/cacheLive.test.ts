/**
 * The response cache under live traffic, end to end: the `small` scenario on a real hardhat node with
 * live traffic (contributions, reviews, settlements, claims, epochs closed), the processor committing
 * as it goes, and two API servers on the database, one with the cache and one without. Round after
 * round, at a head both servers stand on, every account's contributor page must be byte for byte the
 * same from both, including the pages the cache kept across commits that did not change them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createApiServer, type ApiServer } from '../../api/server';
import { loadProcessedHead, type ProcessedHead } from '../../api/processedHead';
import { startDevnet } from '../../devnet';
import { rpc } from '../../devnet/chain';
import { setupTestDatabase } from '../postgres';
import { startTestProcessor, waitForHeight } from '../processorChild';

/** The benchmark's contributor page, with a short payouts page so that its cursors and counts are compared too. */
const PAGE = `query ($address: String!) { contributor(address: $address) {
  address contributionCount acceptedCount rejectedCount pendingCount duplicateCount slashCount lastActivityBlock
  earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimedTotal claimed claimable pending
  reputation { score acceptanceBps qualityBps impactBps updatedAtBlock }
  payouts(first: 3) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { epoch total claimed claimable pending epochClosed lastClaimAtBlock } } } } }`;

async function page(api: ApiServer, address: string): Promise<string> {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PAGE, variables: { address } }),
  });
  assert.equal(res.status, 200);
  return res.text();
}

const same = (a: ProcessedHead | null, b: ProcessedHead | null) => a?.height === b?.height && a?.hash === b?.hash;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'cached contributor pages equal uncached ones at every head under live traffic',
  { timeout: 300_000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olx-cache-live-'));
    const [devnet, db] = await Promise.all([
      startDevnet({ port: 0, scenario: 'small', seed: 3, out: path.join(dir, 'deployment.json'), live: true }),
      setupTestDatabase(),
    ]);
    const proc = startTestProcessor({ dbUrl: db.url, rpcUrl: devnet.rpcUrl, deploymentFile: devnet.deploymentFile });
    const servers: ApiServer[] = [];
    try {
      const startHeight = Number(await rpc<string>(devnet.rpcUrl, 'eth_blockNumber'));
      await waitForHeight(db, proc, startHeight);
      const cached = await createApiServer({ dbUrl: db.url, port: 0, host: '127.0.0.1' });
      servers.push(cached);
      const plain = await createApiServer({
        dbUrl: db.url,
        port: 0,
        host: '127.0.0.1',
        responseCache: { maxBytes: 0 },
      });
      servers.push(plain);
      await cached.live.listening();
      let announced: ProcessedHead | null = null;
      cached.live.onAnnounce((head) => (announced = head));
      const dbHead = () => loadProcessedHead((sql) => db.query(sql));
      // Every account there is, and one the chain never saw.
      const addresses = (await db.query<{ id: string }>('SELECT id FROM account ORDER BY id')).map((r) => r.id);
      addresses.push('0x00000000000000000000000000000000000000c0');
      assert.ok(addresses.length > 40, `${addresses.length} accounts`);

      let compared = 0;
      let keptHits = 0;
      let changedPages = 0;
      let previous: { head: ProcessedHead; bodies: string[] } | null = null;
      const progress = async () => {
        const [{ closed, claims }] = await db.query<{ closed: number; claims: number }>(
          `SELECT (SELECT count(*)::int FROM epoch WHERE closed_at_block > $1) AS closed,
                (SELECT count(*)::int FROM reward_claim WHERE block_number > $1) AS claims`,
          [startHeight],
        );
        return { closed, claims };
      };
      const deadline = Date.now() + 200_000;
      for (;;) {
        const { closed, claims } = await progress();
        if (compared >= 20 && closed >= 1 && claims >= 1 && keptHits > 0 && changedPages > 0) break;
        assert.ok(
          Date.now() < deadline,
          `not enough seen in time: ${JSON.stringify({ compared, keptHits, changedPages, closed, claims })}`,
        );
        // A head the database and the cached server (it heard the commit) both stand on.
        const head = await dbHead();
        if (!head || !same(announced, head)) {
          await sleep(5);
          continue;
        }
        const hits = cached.cache.stats().hits;
        const fromCache = await Promise.all(addresses.map((a) => page(cached, a)));
        const hitsNow = cached.cache.stats().hits - hits;
        const fresh = await Promise.all(addresses.map((a) => page(plain, a)));
        if (!same(await dbHead(), head) || !same(announced, head)) continue; // a commit landed meanwhile
        for (let i = 0; i < addresses.length; i++) {
          assert.equal(fromCache[i], fresh[i], `${addresses[i]} at block ${head.height}`);
        }
        compared++;
        if (previous && previous.head.height !== head.height) {
          // Each address is asked once a round, so a hit in a round at a new head is a page kept
          // across the commits since the last round.
          keptHits += hitsNow;
          changedPages += fresh.filter((b, i) => b !== previous!.bodies[i]).length;
        }
        previous = { head, bodies: fresh };
      }
      assert.ok(cached.cache.stats().kept > 0);
    } finally {
      for (const s of servers) await s.close();
      await proc.kill();
      await devnet.stop();
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
