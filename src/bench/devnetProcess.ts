import { spawn } from 'node:child_process';
import path from 'node:path';

/** A devnet running in its own process (`npm run devnet`), as a benchmark's chain. */
export interface DevnetProcess {
  rpcUrl: string;
  deploymentFile: string;
  stop(): Promise<void>;
}

/**
 * Starts `lib/devnet/main.js` (hardhat node + scenario) in a child process and resolves once it is
 * ready, echoing its progress. The benchmark keeps the simulator out of its own process: measured
 * with the scenario's state in the same process as the node's parent, backfills ran 20-40% slower.
 */
export function startDevnetProcess(params: {
  scenario: string;
  seed: number;
  out: string;
  echo: (line: string) => void;
  /** Keep simulating a few transactions per second after the scenario (default false). */
  live?: boolean;
}): Promise<DevnetProcess> {
  const main = path.resolve(__dirname, '../devnet/main.js');
  const args = [main, '--scenario', params.scenario, '--seed', String(params.seed), '--port', '0', '--out', params.out];
  if (params.live) args.push('--live');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let rpcUrl = '';
    let pending = '';
    let errors = '';
    child.stderr!.on('data', (d) => (errors += d));
    child.stdout!.on('data', (d: Buffer) => {
      pending += d.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.trim()) params.echo(line);
        const url = /^RPC URL\s+(\S+)/.exec(line);
        if (url) rpcUrl = url[1];
        if (/^ready in/.test(line)) resolve({ rpcUrl, deploymentFile: params.out, stop });
      }
    });
    void exited.then((code) =>
      reject(new Error(`the devnet exited with code ${code} before it was ready:\n${errors}`)),
    );
  });
}
