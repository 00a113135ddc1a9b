/**
 * `npm run bench:export`: the CSV export of one epoch of 100,000 accounts (seeded with generate_series
 * in a fresh test database), downloaded from our API running in its own process (`lib/api/main.js`, as
 * the read-only role `api`, default limits). Prints per size: rows, bytes, seconds, MB/s, and the API
 * process's resident set before the download and at its peak during it (sampled every 5 ms, and the
 * kernel's high-water mark reset just before the download), so sizes can be compared: constant memory
 * means the growth does not follow the row count. Prints figures; asserts only that every row arrived.
 *
 * Options: --rows 100000 (a comma list runs several sizes, e.g. --rows 100000,1000000).
 */
import fs from 'node:fs';
import { get } from 'node:http';
import { PAYOUT_CSV_COLUMNS } from '../api/export/queries';
import { setupTestDatabase } from '../test/postgres';
import { seedSyntheticEpoch } from '../test/seedExport';
import { startOurServer } from './apiServers';

function rowCounts(): number[] {
  const i = process.argv.indexOf('--rows');
  const raw = i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : '100000';
  const counts = raw.split(',').map((s) => Number(s.replace(/_/g, '')));
  if (counts.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new Error(`--rows must be positive integers separated by commas (got "${raw}")`);
  }
  return counts;
}

/** VmRSS and VmHWM (kB) of a process. */
function memoryKb(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Resets a process's VmHWM to its current RSS (Linux 4.0+; false when not permitted). */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Downloads a URL, counting bytes and lines; returns them with the first line and the elapsed seconds. */
function download(
  url: string,
): Promise<{ status: number; bytes: number; lines: number; header: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let bytes = 0;
      let lines = 0;
      let header = '';
      res.on('data', (chunk: Buffer) => {
        if (bytes === 0) header = chunk.toString('utf8', 0, Math.max(0, chunk.indexOf(10)));
        bytes += chunk.length;
        for (let k = chunk.indexOf(10); k >= 0; k = chunk.indexOf(10, k + 1)) lines++;
      });
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, bytes, lines, header, seconds: (performance.now() - started) / 1000 }),
      );
      res.once('error', reject);
    }).once('error', reject);
  });
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const counts = rowCounts();
  const db = await setupTestDatabase();
  let server: Awaited<ReturnType<typeof startOurServer>> | undefined;
  try {
    // A small epoch to warm the server's export path before anything is measured.
    await seedSyntheticEpoch({ query: db.query, epoch: '1', rows: 1000, closed: true });
    const epochs: { epoch: string; rows: number; seedSeconds: number }[] = [];
    for (const [k, rows] of counts.entries()) {
      const epoch = String(k + 2);
      process.stdout.write(`seeding epoch ${epoch}: ${rows.toLocaleString('en-US')} accrual rows...\n`);
      const t = performance.now();
      await seedSyntheticEpoch({ query: db.query, epoch, rows, closed: true });
      epochs.push({ epoch, rows, seedSeconds: (performance.now() - t) / 1000 });
    }
    server = await startOurServer(db.url);
    const base = server.url.replace(/\/graphql$/, '');
    const pid = server.pid;
    for (let i = 0; i < 3; i++) await download(`${base}/export/payouts.csv?epoch=1`);

    const header = PAYOUT_CSV_COLUMNS.join(',');
    const lines = [
      '',
      `CSV export of one epoch (GET /export/payouts.csv?epoch=N), API in its own process (pid ${pid}), loopback`,
      '  rows        bytes          seconds   MB/s     API RSS before   peak during   growth    (seeded in)',
    ];
    for (const { epoch, rows, seedSeconds } of epochs) {
      const before = memoryKb(pid).rss;
      const hwmReset = resetPeak(pid);
      let peak = before;
      const timer = setInterval(() => {
        try {
          peak = Math.max(peak, memoryKb(pid).rss);
        } catch {
          // the process is gone: the download fails below
        }
      }, 5);
      const got = await download(`${base}/export/payouts.csv?epoch=${epoch}`);
      clearInterval(timer);
      const after = memoryKb(pid);
      peak = Math.max(peak, after.rss, hwmReset ? after.hwm : 0);
      if (got.status !== 200 || got.header !== header || got.lines !== rows + 1) {
        throw new Error(
          `epoch ${epoch}: HTTP ${got.status}, ${got.lines} lines for ${rows} rows, header "${got.header}"\n` +
            server.output().slice(-2000),
        );
      }
      lines.push(
        `  ${rows.toLocaleString('en-US').padEnd(11)} ${got.bytes.toLocaleString('en-US').padEnd(14)} ` +
          `${got.seconds.toFixed(2).padEnd(9)} ${(got.bytes / 1e6 / got.seconds).toFixed(1).padEnd(8)} ` +
          `${mb(before).padEnd(16)} ${mb(peak).padEnd(13)} ${mb(peak - before).padEnd(9)} (${seedSeconds.toFixed(1)} s)`,
      );
    }
    lines.push(
      '  MB = 10^6 bytes for throughput; RSS in MiB. Peak: the larger of the 5 ms samples and the kernel high-water',
      `  mark (${resetPeak(pid) ? 'reset before each download' : 'not resettable here: samples only'}).`,
      '',
    );
    process.stdout.write(lines.join('\n'));
  } finally {
    await server?.stop();
    await db.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
