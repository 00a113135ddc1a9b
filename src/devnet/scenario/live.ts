/**
 * Live traffic: a few transactions per second after the scenario (new contributions, reviews,
 * inferences, bridge transfers, credits, claims, and now and then an epoch closed with the
 * correct root), keeping the ground truth up to date and rewriting its file every ~10 s.
 */
import { chooseClaims, runClaims, runReviews, runSettlements, runSubmissions, type TrafficContext } from './generators';
import { runBridge, runCredits } from './side-traffic';
import { closeEpoch } from './vault-actions';

export interface LiveStepOptions {
  /** Whether this traffic may close epochs (only when the truth knows every accrual of the epoch). */
  closeEpochs: boolean;
  /** Keyed accounts (may send their own claim). */
  keyed: ReadonlySet<string>;
}

/** One step of live traffic: one or a few transactions chosen at random. */
export async function liveStep(ctx: TrafficContext, opts: LiveStepOptions): Promise<void> {
  const { sim, prng, st } = ctx;
  st.slice++;
  const r = prng.next();
  if (opts.closeEpochs && r < 0.015 && sim.truth.epochs.get(sim.truth.currentEpoch)!.inferences > 0) {
    chooseClaims(ctx, await closeEpoch(sim));
  } else if (r < 0.3) await runSubmissions(ctx, prng.int(1, 3));
  else if (r < 0.5) await runReviews(ctx);
  else if (r < 0.78) await runSettlements(ctx, prng.int(1, 3));
  else if (r < 0.88) await runBridge(ctx, 1);
  else if (r < 0.93) await runCredits(ctx, 1);
  else await runClaims(ctx, prng.int(1, 3), opts.keyed);
  await sim.sender.flush();
  sim.syncStats();
}

export interface LiveTraffic {
  /** Stops after the step in flight and writes the ground truth one last time. */
  stop(): Promise<void>;
}

export interface StartLiveTrafficParameters {
  ctx: TrafficContext;
  opts: LiveStepOptions;
  /** Steps per second. Default 3. */
  rate?: number;
  /** Called every `writeEveryMs` and on stop (e.g. to rewrite the ground-truth file). */
  onSnapshot: () => void;
  /** Default 10,000 ms. */
  writeEveryMs?: number;
  log: (msg: string) => void;
}

/** Starts the live loop in the background. */
export function startLiveTraffic(params: StartLiveTrafficParameters): LiveTraffic {
  const { ctx, opts, rate = 3, onSnapshot, writeEveryMs = 10_000, log } = params;
  let stopping = false;
  let lastWrite = Date.now();
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopping) {
      const started = Date.now();
      try {
        await liveStep(ctx, opts);
      } catch (err) {
        log(`live traffic stopped: ${(err as Error).message}`);
        break;
      }
      if (Date.now() - lastWrite >= writeEveryMs) {
        onSnapshot();
        lastWrite = Date.now();
      }
      await sleep(Math.max(0, 1000 / rate - (Date.now() - started)));
    }
    onSnapshot();
  })();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
