/** Command-line options of `npm run devnet` (parsed without a dependency). */
import type { DevnetScenario } from './devnet';

export interface DevnetCliOptions {
  port: number;
  seed: number;
  scenario: DevnetScenario;
  live: boolean;
  out: string;
  help: boolean;
}

export const DEVNET_USAGE = `Usage: npm run devnet -- [options]

Starts a hardhat devnet (chain 901), deploys the OpenLedger reference contracts, runs a seeded
traffic scenario, writes the deployment and the ground truth, and keeps the node up until Ctrl-C.

Options:
  --port N           JSON-RPC port (default 8545; 0 picks a free one)
  --seed N           PRNG seed: the same seed gives the same chain content (default 1)
  --scenario NAME    small | medium | large | none (default medium)
  --live             keep sending a few transactions per second after the scenario
  --out FILE         deployment JSON (default .devnet/deployment.json); the ground truth is
                     written beside it as ground-truth.json
  --help             print this help
`;

const SCENARIOS: readonly DevnetScenario[] = ['small', 'medium', 'large', 'none'];

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Error(
      `${flag} needs an integer from ${min} to ${max}, got ${value === undefined ? 'nothing' : `"${value}"`}`,
    );
  }
  return Number(value);
}

/** Parses argv (without node and script); throws an Error with a message for the user on bad input. */
export function parseDevnetArgs(argv: readonly string[]): DevnetCliOptions {
  const o: DevnetCliOptions = {
    port: 8545,
    seed: 1,
    scenario: 'medium',
    live: false,
    out: '.devnet/deployment.json',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--port':
        o.port = integer('--port', value(), 0, 65535);
        break;
      case '--seed':
        o.seed = integer('--seed', value(), 0, 2 ** 32 - 1);
        break;
      case '--scenario': {
        const v = value();
        if (!SCENARIOS.includes(v as DevnetScenario))
          throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${v ?? ''}"`);
        o.scenario = v as DevnetScenario;
        break;
      }
      case '--live':
        o.live = true;
        break;
      case '--out': {
        const v = value();
        if (!v || v.startsWith('--')) throw new Error('--out needs a file path');
        o.out = v;
        break;
      }
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option "${argv[i]}"`);
    }
  }
  return o;
}
