/**
 * `npm run devnet`: hardhat node + reference contracts + seeded scenario (+ live traffic), kept up
 * until Ctrl-C. See `npm run devnet -- --help`.
 */
import path from 'node:path';
import { DEVNET_USAGE, parseDevnetArgs, type DevnetCliOptions } from './scenario/cli-options';
import { startDevnet, type Devnet } from './scenario/devnet';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs the CLI with argv (without node and script). */
export async function main(argv: readonly string[]): Promise<void> {
  let options: DevnetCliOptions;
  try {
    options = parseDevnetArgs(argv);
  } catch (err) {
    process.stderr.write(`devnet: ${(err as Error).message}\n\n${DEVNET_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    print(DEVNET_USAGE);
    return;
  }
  const t0 = Date.now();
  const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s]`;
  const { scenario, seed, port, live } = options;
  print(
    `${stamp()} starting the devnet: scenario ${scenario}, seed ${seed}, port ${port}${live ? ', live traffic' : ''}`,
  );
  let devnet: Devnet;
  try {
    devnet = await startDevnet({ ...options, log: (msg) => print(`${stamp()} ${msg}`) });
  } catch (err) {
    process.stderr.write(`devnet: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const rel = (f: string) => {
    const r = path.relative(process.cwd(), f);
    return r === '' || r.startsWith('..') ? f : r;
  };
  const truth = devnet.groundTruth;
  print('');
  print(`RPC URL        ${devnet.rpcUrl}  (chain id ${devnet.deployment.chainId})`);
  print(`deployment     ${rel(devnet.deploymentFile)}  (start block ${devnet.deployment.startBlock})`);
  print(`ground truth   ${rel(devnet.groundTruthFile)}${options.live ? '  (rewritten every 10 s)' : ''}`);
  print(`events         ${truth.totals.events} up to block ${truth.headBlock}`);
  print(`ready in       ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  print('');
  print('The node stays up: press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`\n${signal}: stopping${options.live ? ' live traffic and' : ''} the node…`);
    devnet.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`devnet: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Keep the process alive until a signal arrives (the node is a child process we unref'd).
  setInterval(() => {}, 1 << 30);
}

if (require.main === module) void main(process.argv.slice(2));
