import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { EXIT_CHAIN_MISMATCH } from '../ingest/headCheck';

/** When a crashed processor is restarted, and when `npm start` gives up. */
export interface RestartPolicy {
  /** Crashes in a row, each within `quickUptimeMs` of its start, tolerated before giving up. Default 5. */
  maxQuickRestarts: number;
  /** A run shorter than this counts as a quick crash; a longer one resets the count. Default 60,000 ms. */
  quickUptimeMs: number;
  /** Delay before the first restart; doubled for each quick crash in a row. Default 1,000 ms. */
  baseDelayMs: number;
  /** Longest delay between restarts. Default 30,000 ms. */
  maxDelayMs: number;
}

/** The default {@link RestartPolicy}. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxQuickRestarts: 5,
  quickUptimeMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** What to do after a crash: restart after a delay, or give up. */
export type RestartDecision =
  { restart: true; delayMs: number; quickCrashes: number } | { restart: false; quickCrashes: number };

/** Decides whether to restart after a crash, from the quick crashes so far and how long this run lasted. */
export function decideRestart(
  quickCrashesSoFar: number,
  uptimeMs: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const quickCrashes = (uptimeMs < policy.quickUptimeMs ? quickCrashesSoFar : 0) + 1;
  if (quickCrashes > policy.maxQuickRestarts) return { restart: false, quickCrashes };
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (quickCrashes - 1));
  return { restart: true, delayMs, quickCrashes };
}

/** Whether restarting can help, and what the operator should do otherwise. */
export interface ExitDiagnosis {
  retryable: boolean;
  hint?: string;
}

/** Reads the exit code and last output lines of a dead processor for failures a restart cannot fix. */
export function diagnoseExit(code: number | null, lastLines: string[]): ExitDiagnosis {
  const text = lastLines.join('\n');
  if (code === EXIT_CHAIN_MISMATCH || /already indexed block .* was not found on chain/i.test(text)) {
    return {
      retryable: false,
      hint:
        'the chain no longer holds a block this database indexed (a reorg deeper than the finality confirmations, ' +
        'or RPC_URL now serves another chain). Re-index: `npm run db:reset` (drops the indexed data of DB_URL or ' +
        'the embedded database), or point DB_URL at a new database, then start again.',
    };
  }
  if (/Cannot find module/.test(text)) {
    return { retryable: false, hint: 'the processor is not built: run `npx tsc -p .` (npm start builds first)' };
  }
  if (
    /DEPLOYMENT_FILE .* cannot be read|NETWORK must be one of|must be a non-negative integer|must be a 0x address/.test(
      text,
    )
  ) {
    return { retryable: false, hint: 'the processor rejected its configuration: fix the variable named above' };
  }
  return { retryable: true };
}

/** A log record read from the processor (JSON lines on stdout and stderr). */
export interface ProcessorRecord {
  stream: 'stdout' | 'stderr';
  /** Normalised level: trace, debug, info, warn, error or fatal (info when absent). */
  level: string;
  /** The parsed object, or null for a plain-text line. */
  json: Record<string, unknown> | null;
  text: string;
}

const LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Parses one output line of the processor (Subsquid logger or our own JSON lines, else plain text). */
export function parseProcessorLine(text: string, stream: 'stdout' | 'stderr'): ProcessorRecord {
  let json: Record<string, unknown> | null = null;
  if (text.startsWith('{')) {
    try {
      const v = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) json = v as Record<string, unknown>;
    } catch {
      json = null;
    }
  }
  let level = json ? 'info' : stream === 'stderr' ? 'error' : 'info';
  const raw = json?.level;
  if (typeof raw === 'number' && LEVEL_NAMES[raw]) level = LEVEL_NAMES[raw];
  else if (typeof raw === 'string' && LEVEL_NAMES.includes(raw.toLowerCase())) level = raw.toLowerCase();
  return { stream, level, json, text };
}

/** Longest summarized line kept for the terminal (the log file has everything). */
const MAX_SUMMARY = 300;

const clip = (text: string) => (text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text);

/** One readable line for a record: `fatal sqd:processor: message: first line of the error` (plain text as is). */
export function summarizeRecord(record: ProcessorRecord): string {
  const j = record.json;
  if (!j) return clip(record.text);
  const ns = typeof j.ns === 'string' && j.ns ? `${j.ns}: ` : '';
  const msg = typeof j.msg === 'string' ? j.msg : '';
  const err = j.err as { message?: string; stack?: string } | undefined;
  const errText = err ? (err.message ?? String(err.stack ?? '').split('\n')[0]) : '';
  const body = msg && errText ? `${msg}: ${errText}` : msg || errText || JSON.stringify(j);
  return clip(`${record.level} ${ns}${body}`);
}

/** What the supervisor reports to its owner. */
export type SupervisorEvent =
  | { kind: 'started'; pid: number; run: number }
  | { kind: 'record'; record: ProcessorRecord }
  | {
      kind: 'crashed';
      code: number | null;
      signal: string | null;
      uptimeMs: number;
      lastLines: string[];
      restartInMs: number;
      quickCrashes: number;
    };

/** How supervision ended. */
export type SupervisorOutcome =
  | { kind: 'stopped'; forced: boolean }
  | { kind: 'finished' }
  | { kind: 'gave-up'; message: string; lastLines: string[] };

/** Parameters of {@link createProcessorSupervisor}. */
export interface ProcessorSupervisorParameters {
  /** The script to run with this Node binary (e.g. lib/ingest/main.js). */
  script: string;
  args?: string[];
  /** Node flags before the script (e.g. PROCESSOR_NODE_ARGS). Default none. */
  nodeArgs?: readonly string[];
  /** The child's complete environment (nothing is inherited). */
  env: Record<string, string>;
  cwd?: string;
  /** Every output line is appended here (the file is truncated at creation). */
  logFile?: string;
  policy?: RestartPolicy;
  /** Lines of output kept for crash reports. Default 20. */
  keepLines?: number;
  /** Grace period after SIGTERM before SIGKILL. Default 5,000 ms. */
  stopGraceMs?: number;
  onEvent(event: SupervisorEvent): void;
}

/** A running, self-restarting processor child. */
export interface ProcessorSupervisor {
  /** Resolves when supervision ends: stopped, finished (exit 0) or gave up. */
  readonly done: Promise<SupervisorOutcome>;
  /** Stops the child: SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<SupervisorOutcome>;
  /** Kills the child at once (SIGKILL), synchronously: for a forced exit. */
  kill(): void;
}

/** Spawns the processor as a child process and restarts it on crashes by the restart policy. */
export function createProcessorSupervisor({
  script,
  args = [],
  nodeArgs = [],
  env,
  cwd,
  logFile,
  policy = DEFAULT_RESTART_POLICY,
  keepLines = 20,
  stopGraceMs = 5_000,
  onEvent,
}: ProcessorSupervisorParameters): ProcessorSupervisor {
  let log: fs.WriteStream | undefined;
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    log = fs.createWriteStream(logFile, { flags: 'w' });
  }
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let restartTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  let quickCrashes = 0;
  let run = 0;
  let settle!: (outcome: SupervisorOutcome) => void;
  const done = new Promise<SupervisorOutcome>((resolve) => {
    let settled = false;
    settle = (outcome) => {
      if (settled) return;
      settled = true;
      log?.end();
      resolve(outcome);
    };
  });

  function launch(): void {
    run++;
    const startedAt = Date.now();
    const lastLines: string[] = [];
    const proc = spawn(process.execPath, [...nodeArgs, script, ...args], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const onLine = (stream: 'stdout' | 'stderr') => (text: string) => {
      log?.write(text + '\n');
      const record = parseProcessorLine(text, stream);
      if (stream === 'stderr' || record.level === 'error' || record.level === 'fatal') {
        lastLines.push(summarizeRecord(record));
        if (lastLines.length > keepLines) lastLines.shift();
      }
      if (!stopping) onEvent({ kind: 'record', record });
    };
    const outClosed = new Promise((r) =>
      readline.createInterface({ input: proc.stdout! }).on('line', onLine('stdout')).on('close', r),
    );
    const errClosed = new Promise((r) =>
      readline.createInterface({ input: proc.stderr! }).on('line', onLine('stderr')).on('close', r),
    );
    exited = new Promise<void>((resolve) => {
      proc.once('error', (err) => {
        lastLines.push(`cannot start ${script}: ${err.message}`);
      });
      proc.once('close', async (code, signal) => {
        await Promise.all([outClosed, errClosed]);
        if (child === proc) child = undefined;
        resolve();
        if (stopping) return;
        afterExit(code, signal, Date.now() - startedAt, lastLines);
      });
    });
    log?.write(`--- run ${run}, pid ${proc.pid ?? '?'}, ${new Date(startedAt).toISOString()}\n`);
    if (proc.pid !== undefined) onEvent({ kind: 'started', pid: proc.pid, run });
  }

  function afterExit(code: number | null, signal: string | null, uptimeMs: number, lastLines: string[]): void {
    if (code === 0) {
      settle({ kind: 'finished' });
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const diagnosis = diagnoseExit(code, lastLines);
    if (!diagnosis.retryable) {
      settle({ kind: 'gave-up', message: `the processor ${how}: ${diagnosis.hint}`, lastLines });
      return;
    }
    const decision = decideRestart(quickCrashes, uptimeMs, policy);
    quickCrashes = decision.quickCrashes;
    if (!decision.restart) {
      settle({
        kind: 'gave-up',
        message: `the processor ${how} and crashed ${quickCrashes} times in a row, each within ${Math.round(policy.quickUptimeMs / 1000)} s of starting: giving up (its last lines are above; full log: ${logFile ?? 'not kept'})`,
        lastLines,
      });
      return;
    }
    onEvent({ kind: 'crashed', code, signal, uptimeMs, lastLines, restartInMs: decision.delayMs, quickCrashes });
    restartTimer = setTimeout(() => {
      if (!stopping) launch();
    }, decision.delayMs);
  }

  function waitExit(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      exited.then(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  launch();

  return {
    done,
    async stop() {
      if (stopping) return done;
      stopping = true;
      clearTimeout(restartTimer);
      let forced = false;
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitExit(stopGraceMs))) {
          forced = true;
          child?.kill('SIGKILL');
          await waitExit(2_000);
        }
      }
      settle({ kind: 'stopped', forced });
      return done;
    },
    kill() {
      stopping = true;
      clearTimeout(restartTimer);
      child?.kill('SIGKILL');
    },
  };
}
