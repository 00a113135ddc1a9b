import fs from 'node:fs';

/** Busy and total jiffies of all CPUs (Linux /proc/stat), or null elsewhere. */
export function cpuTimes(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] ?? 0); // idle + iowait
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * Waits until the machine's CPUs are idle (under `threshold` busy over a 1 s window) or `maxMs`
 * passed; returns the time waited (ms). A hardhat node that has just served a large scenario keeps
 * collecting garbage for a minute or more, which would otherwise be measured as indexer time.
 */
export async function waitForIdleCpu({ threshold = 0.15, maxMs = 180_000 } = {}): Promise<number> {
  const started = performance.now();
  let last = cpuTimes();
  if (!last) return 0;
  while (performance.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuTimes()!;
    const busy = (now.busy - last.busy) / Math.max(1, now.total - last.total);
    last = now;
    if (busy < threshold) break;
  }
  return performance.now() - started;
}
