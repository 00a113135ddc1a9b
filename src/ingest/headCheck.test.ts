import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rpc, startHardhatNode, type HardhatNode } from '../devnet/chain';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { ChainMismatchError, EXIT_CHAIN_MISMATCH, checkIndexedHeadOnChain } from './headCheck';

describe('checkIndexedHeadOnChain', () => {
  let node: HardhatNode;
  let db: TestDatabase;
  before(async () => {
    [node, db] = await Promise.all([startHardhatNode({ port: 0, accounts: 2 }), setupTestDatabase()]);
    await rpc(node.rpcUrl, 'hardhat_mine', ['0x5']);
  });
  after(async () => {
    await Promise.all([node?.stop(), db?.stop()]);
  });
  const check = () => checkIndexedHeadOnChain({ dbUrl: db.url, rpcUrl: node.rpcUrl, stateSchema: 'squid_processor' });
  const setStatus = async (height: number, hash: string) => {
    await db.query('CREATE SCHEMA IF NOT EXISTS squid_processor');
    await db.query(
      'CREATE TABLE IF NOT EXISTS squid_processor.status (id int primary key, height int not null, hash text not null, nonce int)',
    );
    await db.query(
      'INSERT INTO squid_processor.status (id, height, hash) VALUES (0, $1, $2) ON CONFLICT (id) DO UPDATE SET height = $1, hash = $2',
      [height, hash],
    );
  };

  it('passes on a fresh database (no processor state yet)', async () => {
    await check();
  });

  it('passes when the indexed block is on the chain', async () => {
    const block = await rpc<{ hash: string }>(node.rpcUrl, 'eth_getBlockByNumber', ['0x3', false]);
    await setStatus(3, block.hash);
    await check();
  });

  it('fails once, with the recovery steps, when the indexed block is not on the chain', async () => {
    await setStatus(3, `0x${'ab'.repeat(32)}`);
    await assert.rejects(check(), (err: unknown) => {
      assert.ok(err instanceof ChainMismatchError);
      assert.equal(err.exitCode, EXIT_CHAIN_MISMATCH);
      assert.match(err.message, /indexed block 3 .*`npm run db:reset`/s);
      return true;
    });
  });

  it('fails when the node has no such block (a new, shorter chain)', async () => {
    await setStatus(1000, `0x${'cd'.repeat(32)}`);
    await assert.rejects(check(), /has no such block/);
  });
});
