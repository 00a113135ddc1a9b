/**
 * Native OPEN deposits (type 0x7E) cannot be produced on hardhat. This drives the deposit path with
 * real deposit transactions serialized by viem's OP Stack serializer, served by a minimal JSON-RPC
 * endpoint (standing in for op-geth's eth_getRawTransactionByHash), through the real batch handler
 * into real Postgres.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Store } from '@subsquid/typeorm-store';
import { keccak256, toHex, type Hex } from 'viem';
import { serializeTransaction } from 'viem/op-stack';
import { createLogDecoder } from '../decode/decodeLog';
import { devnetProfile } from '../config/networks';
import { SYSTEM_DEPOSITOR } from '../domain/bridge';
import { createDataSource } from '../store/dataSource';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { decodeDepositTransaction, fetchDepositTransactions } from './deposits';
import { createBatchHandler } from './handler';
import type { Context } from './processor';

const ALICE = '0x000000000000000000000000000000000000a11c';
const BOB = '0x0000000000000000000000000000000000000b0b';

function deposit(from: string, mint: bigint, n: number): { hash: Hex; raw: Hex; sourceHash: Hex } {
  const sourceHash = keccak256(toHex(`source-${n}`));
  const raw = serializeTransaction({
    type: 'deposit',
    sourceHash,
    from: from as Hex,
    to: BOB as Hex,
    mint,
    value: mint,
    gas: 100_000n,
    isSystemTx: false,
    data: '0x',
  });
  return { hash: keccak256(raw), raw, sourceHash };
}

/** A JSON-RPC endpoint that serves raw transactions by hash and counts HTTP requests. */
async function serveRawTransactions(txs: Map<string, Hex>) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests++;
      const calls = JSON.parse(body) as { id: number; method: string; params: [string] }[];
      const answers = calls.map((c) =>
        c.method === 'eth_getRawTransactionByHash'
          ? { jsonrpc: '2.0', id: c.id, result: txs.get(c.params[0]) ?? null }
          : { jsonrpc: '2.0', id: c.id, error: { code: -32601, message: 'method not found' } },
      );
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answers));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('native OPEN deposits', () => {
  const d1 = deposit(ALICE, 10n ** 18n, 1);
  const d2 = deposit(ALICE, 5n, 2);
  const sys = deposit(SYSTEM_DEPOSITOR, 0n, 3);
  const zero = deposit(BOB, 0n, 4);
  let node: Awaited<ReturnType<typeof serveRawTransactions>>;
  let db: TestDatabase;
  before(async () => {
    node = await serveRawTransactions(new Map([d1, d2, sys, zero].map((d) => [d.hash, d.raw])));
    db = await setupTestDatabase();
  });
  after(async () => {
    await node?.close();
    await db?.stop();
  });

  it('parses mint and sourceHash from a serialized deposit', () => {
    assert.deepEqual(decodeDepositTransaction(d1.hash, d1.raw), {
      hash: d1.hash,
      from: ALICE,
      to: BOB,
      mint: 10n ** 18n,
      sourceHash: d1.sourceHash,
    });
  });

  it('fetches many deposits in one batched request', async () => {
    const before = node.requests();
    const got = await fetchDepositTransactions({ rpcUrl: node.url, hashes: [d1.hash, d2.hash, sys.hash] });
    assert.equal(node.requests() - before, 1);
    assert.deepEqual(
      [...got.values()].map((t) => t.mint),
      [10n ** 18n, 5n, 0n],
    );
  });

  it('fails with the hash when the node does not know a deposit', async () => {
    const unknown = keccak256(toHex('nope'));
    await assert.rejects(fetchDepositTransactions({ rpcUrl: node.url, hashes: [unknown] }), new RegExp(unknown));
  });

  it('credits mint to the depositor through the batch handler, skipping system and zero-mint deposits', async () => {
    const deployment = {
      chainId: 901,
      startBlock: 1,
      contracts: {} as never,
      tokens: {},
    };
    const network = { ...devnetProfile(deployment), nativeDeposits: true };
    const handler = createBatchHandler({ decoder: createLogDecoder({}), network, rpcUrl: node.url, log: () => {} });
    const tx = (hash: string, type: number) => ({ hash, type, from: ALICE, to: BOB });
    const blocks = [
      {
        header: { height: 10, hash: '0xb10', timestamp: 1_700_000_000_000 },
        logs: [],
        transactions: [tx(sys.hash, 0x7e), tx(d1.hash, 0x7e), tx('0xordinary', 2)],
      },
      {
        header: { height: 11, hash: '0xb11', timestamp: 1_700_000_002_000 },
        logs: [],
        transactions: [tx(d2.hash, 0x7e), tx(zero.hash, 0x7e)],
      },
    ];
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      await ds.transaction(async (em) => {
        const ctx = { blocks, store: new Store(() => em), isHead: false, log: console } as unknown as Context;
        await handler(ctx);
      });
    } finally {
      await ds.destroy();
    }
    assert.deepEqual(
      await db.query(
        'SELECT id, direction, asset, "from", amount::text, source_hash, block_number FROM bridge_transfer ORDER BY block_number',
      ),
      [
        {
          id: d1.hash,
          direction: 'IN',
          asset: 'NATIVE',
          from: ALICE,
          amount: '1000000000000000000',
          source_hash: d1.sourceHash,
          block_number: 10,
        },
        {
          id: d2.hash,
          direction: 'IN',
          asset: 'NATIVE',
          from: ALICE,
          amount: '5',
          source_hash: d2.sourceHash,
          block_number: 11,
        },
      ],
    );
    assert.deepEqual(
      await db.query('SELECT account, token, deposited_amount::text, deposit_count FROM bridge_account_token'),
      [
        {
          account: ALICE,
          token: '0x0000000000000000000000000000000000000000',
          deposited_amount: '1000000000000000005',
          deposit_count: 2,
        },
      ],
    );
    assert.deepEqual(await db.query(`SELECT height, event_count::text FROM indexer_status`), [
      { height: 11, event_count: '4' },
    ]);
  });
});
