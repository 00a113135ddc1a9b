/**
 * `npm run bench:proof`: `claimProof` over HTTP on a closed epoch of 100,000 earning accounts. Measures
 * the first call (cold: reads the epoch's rows and builds its Merkle tree), then 1,000 cached calls for
 * random accounts (p50 / p95 / max). Prints figures; asserts nothing.
 *
 * Options: --accounts N (100000), --calls N (1000).
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createApiServer } from '../api/server';
import { computeEpochTree } from '../domain/merkle';
import { setupTestDatabase } from '../test/postgres';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const EPOCH = 7n;
const ms = (n: number) => `${n.toFixed(2)} ms`;
const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;

/** A full GC when it can be had (for the heap figure), else nothing. */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

/** JS heap plus array buffers (the packed tree nodes live in a buffer). */
function retained(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const n = arg('accounts', 100_000);
  const calls = arg('calls', 1000);

  process.stdout.write(`generating ${n.toLocaleString('en-US')} accruals...\n`);
  const accounts: string[] = [];
  const amounts: bigint[] = [];
  for (let i = 0; i < n; i++) {
    accounts.push(`0x${randomBytes(20).toString('hex')}`);
    // 1 wei .. ~1.2e24 wei (up to ~1.2M OPEN): amounts far above 2^64.
    amounts.push(BigInt(`0x${randomBytes(10).toString('hex')}`) + 1n);
  }
  let t = performance.now();
  const tree = computeEpochTree(accounts.map((account, i) => ({ account, amount: amounts[i] })));
  const processorBuildMs = performance.now() - t;

  const db = await setupTestDatabase();
  let api: Awaited<ReturnType<typeof createApiServer>> | undefined;
  try {
    t = performance.now();
    await db.query(
      `INSERT INTO account_epoch (id, epoch, account, as_contributor, as_datanet_owner, as_model_owner, total, claimed,
                                  claim_count, last_claim_at_block, first_accrued_at_block)
       SELECT $1::text || '-' || a, $4::numeric, a, amt, 0, 0, amt, 0, 0, NULL, 1
         FROM unnest($2::text[], $3::numeric[]) AS u(a, amt)`,
      [EPOCH.toString(), accounts, amounts.map(String), EPOCH.toString()],
    );
    await db.query(
      `INSERT INTO epoch (id, epoch, inference_count, total_fees, accrued_to_accounts, protocol_amount, closed,
                          posted_root, posted_total, recomputed_root, recomputed_total, reconciled, closed_at_block,
                          earning_accounts, claimed_total, claim_count)
       VALUES ($1, $5::numeric, 0, 0, $2::numeric, 0, true, $3, $2::numeric, $3, $2::numeric, true, 100, $4, 0, 0)`,
      [EPOCH.toString(), tree.total.toString(), tree.root, tree.accounts, EPOCH.toString()],
    );
    await db.query('ANALYZE account_epoch');
    const insertMs = performance.now() - t;

    api = await createApiServer({ dbUrl: db.url, port: 0, host: '127.0.0.1' });
    const url = api.url;
    const claimProof = async (account: string): Promise<number> => {
      const started = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          query:
            'query($e: BigInt!, $a: String!) { claimProof(epoch: $e, account: $a) { amount proof root leafIndex } }',
          variables: { e: EPOCH.toString(), a: account },
        }),
      });
      const body = (await res.json()) as {
        data?: { claimProof: { root: string; proof: string[] } | null };
        errors?: unknown;
      };
      const elapsed = performance.now() - started;
      if (body.errors || !body.data?.claimProof || body.data.claimProof.root !== tree.root) {
        throw new Error(`unexpected claimProof answer for ${account}: ${JSON.stringify(body)}`);
      }
      return elapsed;
    };
    const pick = () => accounts[Math.floor(Math.random() * n)];

    // Warm the HTTP path and the pool without touching the tree (an open epoch is refused before any build).
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ epochs(first: 1) { totalCount } }' }),
    });
    collect();
    const heapBefore = retained();
    // The cold call, with the API thread's event-loop delay and a cheap query every 100 ms beside it
    // (the tree is built in a worker thread, so other requests should not wait for it).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cold = claimProof(pick());
    let coldDone = false;
    const side: number[] = [];
    const sideQueries = (async () => {
      while (!coldDone) {
        const started = performance.now();
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query: '{ epochs(first: 1) { totalCount } }' }),
        });
        side.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const coldMs = await cold;
    coldDone = true;
    await sideQueries;
    loop.disable();
    collect();
    const heapAfter = retained();

    const latencies: number[] = [];
    for (let i = 0; i < calls; i++) latencies.push(await claimProof(pick()));
    latencies.sort((a, b) => a - b);
    const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length;

    const slowestSide = side.length ? ms(Math.max(...side)) : 'n/a';
    const lines = [
      ``,
      `claimProof on a closed epoch of ${n.toLocaleString('en-US')} earning accounts (HTTP, API in-process)`,
      `  bulk insert (unnest) + ANALYZE             ${ms(insertMs)}`,
      `  computeEpochTree (processor, one thread)   ${ms(processorBuildMs)}`,
      `  first call (cold: read rows + build tree)  ${ms(coldMs)}`,
      `    meanwhile on the API thread: event-loop delay max ${ms(loop.max / 1e6)}, ${side.length} other queries (slowest ${slowestSide})`,
      `  memory kept for the cached tree (approx.)  ${mb(heapAfter - heapBefore)}`,
      `  ${calls.toLocaleString('en-US')} cached calls, random accounts, sequential:`,
      `    p50   ${ms(percentile(latencies, 50))}`,
      `    p95   ${ms(percentile(latencies, 95))}`,
      `    max   ${ms(latencies[latencies.length - 1])}`,
      `    mean  ${ms(mean)}`,
      ``,
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await api?.close();
    await db.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
