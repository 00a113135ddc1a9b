/**
 * Claims the reference RewardVault would refuse (it enforces one claim of exactly the leaf on a closed
 * epoch) can still reach the indexer from another vault implementation. They are driven here as
 * synthetic logs through the real batch handler into real Postgres: what was paid is counted, and
 * each claim that does not fit the account's leaf is recorded as an anomaly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { Store } from '@subsquid/typeorm-store';
import { encodeAbiParameters, encodeEventTopics, keccak256, toHex, type AbiEvent, type Hex } from 'viem';
import { devnetProfile } from '../config/networks';
import { readAbi } from '../decode/abi';
import { createLogDecoder } from '../decode/decodeLog';
import type { ContractName } from '../devnet/types';
import { createDataSource } from '../store/dataSource';
import { setupTestDatabase, type TestDatabase } from '../test/postgres';
import { createBatchHandler } from './handler';
import type { Context } from './processor';

const ADDRESSES: Partial<Record<ContractName, string>> = {
  ModelRegistry: '0x00000000000000000000000000000000000000a1',
  AttributionEngine: '0x00000000000000000000000000000000000000a2',
  RewardVault: '0x00000000000000000000000000000000000000a3',
};
const OWNER_A = '0x000000000000000000000000000000000000000a';
const OWNER_B = '0x000000000000000000000000000000000000000b';
const STRANGER = '0x000000000000000000000000000000000000000c';
const PAYER = '0x000000000000000000000000000000000000000d';

/** Encodes one event of a contract as a log, the way the node would serve it. */
function log(contract: ContractName, eventName: string, args: Record<string, unknown>, logIndex: number) {
  const abi = readAbi(contract);
  const event = abi.find((e) => e.name === eventName) as AbiEvent;
  const topics = encodeEventTopics({ abi: [event], eventName, args } as never) as string[];
  const data = encodeAbiParameters(
    event.inputs.filter((i) => !i.indexed),
    event.inputs.filter((i) => !i.indexed).map((i) => args[i.name!]),
  );
  return {
    address: ADDRESSES[contract]!,
    topics,
    data,
    logIndex,
    transactionIndex: 0,
    transactionHash: keccak256(
      toHex(`${eventName}-${logIndex}-${JSON.stringify(args, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`),
    ),
  };
}

function block(height: number, logs: ReturnType<typeof log>[]) {
  return {
    header: { height, hash: toHex(height, { size: 32 }), timestamp: 1_700_000_000_000 + height * 2000 },
    logs,
    transactions: [],
  };
}

describe('claims that do not fit the leaf', () => {
  let db: TestDatabase;
  before(async () => {
    db = await setupTestDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  it(
    'counts what was paid and records an anomaly for an open epoch, a second claim and a wrong amount',
    { timeout: 60_000 },
    async () => {
      // Epoch 1 leaves, by hand: split (p, m, d, c) = (1000, 9000, 0, 0), so each model owner earns 90%
      // of its inference's fee: owner A 900 (fee 1,000), owner B 450 (fee 500); total 1,350.
      const tree = StandardMerkleTree.of(
        [
          [OWNER_A, 900n],
          [OWNER_B, 450n],
        ],
        ['address', 'uint256'],
      );
      const blocks = [
        block(1, [
          log('ModelRegistry', 'ModelRegistered', { modelId: 1n, owner: OWNER_A, name: 'a', datanetIds: [] }, 0),
          log('ModelRegistry', 'ModelRegistered', { modelId: 2n, owner: OWNER_B, name: 'b', datanetIds: [] }, 1),
          log(
            'AttributionEngine',
            'FeeSplitSet',
            { protocolBps: 1000, modelOwnerBps: 9000, datanetOwnerBps: 0, contributorsBps: 0 },
            2,
          ),
          log(
            'AttributionEngine',
            'InferenceSettled',
            { inferenceId: keccak256(toHex('i1')), modelId: 1n, payer: PAYER, fee: 1000n, epoch: 1n },
            3,
          ),
          log(
            'AttributionEngine',
            'InferenceSettled',
            { inferenceId: keccak256(toHex('i2')), modelId: 2n, payer: PAYER, fee: 500n, epoch: 1n },
            4,
          ),
        ]),
        // A claims its full leaf while the epoch is still open.
        block(2, [log('RewardVault', 'RewardClaimed', { epoch: 1n, account: OWNER_A, amount: 900n }, 0)]),
        block(3, [
          log('RewardVault', 'EpochClosed', { epoch: 1n, merkleRoot: tree.root as Hex, totalAmount: 1350n }, 0),
        ]),
        block(4, [
          // A claims again; B claims 50 less than its leaf; a stranger with no leaf claims 7.
          log('RewardVault', 'RewardClaimed', { epoch: 1n, account: OWNER_A, amount: 900n }, 0),
          log('RewardVault', 'RewardClaimed', { epoch: 1n, account: OWNER_B, amount: 400n }, 1),
          log('RewardVault', 'RewardClaimed', { epoch: 1n, account: STRANGER, amount: 7n }, 2),
        ]),
      ];
      const deployment = { chainId: 901, startBlock: 1, contracts: ADDRESSES as never, tokens: {} };
      const network = devnetProfile(deployment);
      const handler = createBatchHandler({
        decoder: createLogDecoder(ADDRESSES),
        network,
        rpcUrl: 'http://127.0.0.1:1',
        log: () => {},
      });
      const ds = createDataSource(db.url);
      await ds.initialize();
      try {
        // Two batches, so the claims find the rows of the first through the database.
        for (const part of [blocks.slice(0, 2), blocks.slice(2)]) {
          await ds.transaction(async (em) => {
            const ctx = { blocks: part, store: new Store(() => em), isHead: false, log: console } as unknown as Context;
            await handler(ctx);
          });
        }
      } finally {
        await ds.destroy();
      }

      const anomalies = await db.query<{ kind: string; reason: string; block_number: number }>(
        'SELECT kind, reason, block_number FROM anomaly ORDER BY id',
      );
      assert.deepEqual(
        anomalies.map((a) => [a.kind, a.block_number]),
        [
          ['CLAIM_ON_OPEN_EPOCH', 2],
          ['DUPLICATE_CLAIM', 4],
          ['CLAIM_AMOUNT_MISMATCH', 4],
          ['CLAIM_AMOUNT_MISMATCH', 4],
        ],
      );
      assert.match(anomalies[2].reason, /claimed 400, leaf 450 \(claimed - leaf = -50\)/);
      assert.match(anomalies[3].reason, /claimed 7, leaf 0 \(claimed - leaf = 7\)/);

      assert.deepEqual(
        await db.query(
          `SELECT account, total::text, claimed::text, claim_count, last_claim_at_block FROM account_epoch
          WHERE epoch = 1 ORDER BY account`,
        ),
        [
          { account: OWNER_A, total: '900', claimed: '1800', claim_count: 2, last_claim_at_block: 4 },
          { account: OWNER_B, total: '450', claimed: '400', claim_count: 1, last_claim_at_block: 4 },
          { account: STRANGER, total: '0', claimed: '7', claim_count: 1, last_claim_at_block: 4 },
        ],
      );
      assert.deepEqual(
        await db.query(
          `SELECT earning_accounts, claimed_total::text, claim_count, reconciled, recomputed_total::text FROM epoch WHERE id = '1'`,
        ),
        [{ earning_accounts: 2, claimed_total: '2207', claim_count: 4, reconciled: true, recomputed_total: '1350' }],
      );
      assert.deepEqual(
        await db.query(`SELECT id, claimed_total::text FROM account WHERE id IN ($1, $2, $3) ORDER BY id`, [
          OWNER_A,
          OWNER_B,
          STRANGER,
        ]),
        [
          { id: OWNER_A, claimed_total: '1800' },
          { id: OWNER_B, claimed_total: '400' },
          { id: STRANGER, claimed_total: '7' },
        ],
      );
    },
  );
});
