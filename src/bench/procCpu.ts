import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** Parent pid and CPU seconds (its own and its exited children's) of every process, from /proc; empty elsewhere. */
function processTable(): Map<number, { ppid: number; cpu: number }> {
  const table = new Map<number, { ppid: number; cpu: number }>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, and cutime + cstime: what its children that already exited used (a postmaster
      // reaps its backends and parallel workers), so the sum over a tree never goes down.
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      table.set(Number(entry), { ppid: Number(fields[1]), cpu: ticks / TICKS });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/**
 * CPU seconds used so far by `pid` and all its descendants, live or exited (e.g. a Postgres
 * postmaster, its backends and parallel workers), or null when /proc is unavailable or the process
 * is gone. Linux only.
 */
export function treeCpuSeconds(pid: number): number | null {
  const table = processTable();
  if (!table.has(pid)) return null;
  const children = new Map<number, number[]>();
  for (const [p, { ppid }] of table) {
    const list = children.get(ppid);
    if (list) list.push(p);
    else children.set(ppid, [p]);
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += table.get(p)?.cpu ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** The postmaster pid of a running cluster (first line of `<dataDir>/postmaster.pid`), or null. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
