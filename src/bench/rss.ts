import fs from 'node:fs';

/** Samples a process's resident set every 200 ms (and its kernel high-water mark); Linux only. */
export function watchPeakRss(pid: number): { peakKb(): number; stop(): void } {
  let peak = 0;
  const sample = () => {
    try {
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
    stop() {
      sample();
      clearInterval(timer);
    },
  };
}
