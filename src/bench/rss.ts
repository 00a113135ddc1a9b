import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * Samples a process's resident set every 200 ms (and its kernel high-water mark) and its CPU time
 * (user + system); Linux only.
 */
export function watchPeakRss(pid: number): { peakKb(): number; cpuSeconds(): number; stop(): void } {
  let peak = 0;
  let cpu = 0;
  const sample = () => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu = (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14, 15)
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      for (const key of ['VmHWM', 'VmRSS']) {
        const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(status);
        if (m) peak = Math.max(peak, Number(m[1]));
      }
    } catch {
      // the process is gone
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  return {
    peakKb: () => peak,
    cpuSeconds: () => cpu,
    stop() {
      sample();
      clearInterval(timer);
    },
  };
}
