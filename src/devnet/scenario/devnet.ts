/**
 * startDevnet: hardhat node + deployment + seeded scenario + files (+ live traffic), the one call
 * that `npm run devnet`, `npm start` and the tests use.
 */
import path from 'node:path';
import { rpc, startHardhatNode } from '../chain';
import { deployAll } from '../deploy';
import type { Deployment, GroundTruth } from '../types';
import { createTruthModel } from '../truth/model';
import { computeGroundTruth } from '../truth/snapshot';
import { writeJsonFile } from './files';
import { startLiveTraffic, type LiveTraffic } from './live';
import { startScenario, type ScenarioSession } from './run';

export type DevnetScenario = 'small' | 'medium' | 'large' | 'none';

export interface StartDevnetParameters {
  /** Port of the hardhat node; 0 picks a free one. Default 8545. */
  port?: number;
  /** PRNG seed: the same seed gives the same chain content. Default 1. */
  seed?: number;
  /** Traffic to generate before returning. Default 'medium'. 'none' only deploys. */
  scenario?: DevnetScenario;
  /** Keep sending a few transactions per second after the scenario. Default false. */
  live?: boolean;
  /** Live steps per second. Default 3. */
  liveRate?: number;
  /** Deployment JSON path (the ground truth goes beside it). Default '.devnet/deployment.json'. */
  out?: string;
  /** Progress lines. Default: dropped. */
  log?: (msg: string) => void;
}

export interface Devnet {
  rpcUrl: string;
  deployment: Deployment;
  deploymentFile: string;
  groundTruthFile: string;
  /** The ground truth as last written (refreshed every ~10 s while live traffic runs). */
  readonly groundTruth: GroundTruth;
  /** The scenario session (null for 'none' without live traffic): fork it or pass it to simulateTraffic. */
  session: ScenarioSession | null;
  /** Stops live traffic (writing the truth one last time), then the node. */
  stop(): Promise<void>;
}

/** The ground-truth file that belongs to a deployment file: `<dir>/ground-truth.json`. */
export function groundTruthFileFor(deploymentFile: string): string {
  return path.join(path.dirname(deploymentFile), 'ground-truth.json');
}

/** Starts the node, deploys, runs the scenario, writes the files and optionally starts live traffic. */
export async function startDevnet(params: StartDevnetParameters = {}): Promise<Devnet> {
  const { port = 8545, seed = 1, scenario = 'medium', live = false, liveRate = 3, log = () => {} } = params;
  const deploymentFile = path.resolve(params.out ?? '.devnet/deployment.json');
  const groundTruthFile = groundTruthFileFor(deploymentFile);
  const t0 = Date.now();
  const node = await startHardhatNode({ port });
  log(`hardhat node at ${node.rpcUrl} (${node.accounts.length} accounts)`);
  let traffic: LiveTraffic | undefined;
  try {
    const { deployment } = await deployAll({ rpcUrl: node.rpcUrl });
    log(`contracts deployed from block ${deployment.startBlock}`);
    let session: ScenarioSession | null = null;
    if (scenario !== 'none' || live) {
      log(
        scenario === 'none'
          ? 'setting up Datanets and models for live traffic…'
          : `running scenario ${scenario} (seed ${seed})…`,
      );
      session = await startScenario({ rpcUrl: node.rpcUrl, deployment, scenario, seed, log });
      const { cast } = session.ctx.st;
      deployment.accounts = {
        deployer: [cast.admin],
        datanetOwners: cast.datanetOwners,
        validators: cast.validators,
        modelOwners: cast.modelOwners,
        contributors: cast.contributors.filter((c) => c.keyed).map((c) => c.address),
        payers: cast.payers,
      };
    }
    let truth = session ? session.groundTruth() : await emptyTruth(node.rpcUrl, deployment, seed);
    const compact = Object.keys(truth.contributions).length > 50_000;
    writeJsonFile(deploymentFile, deployment);
    writeJsonFile(groundTruthFile, truth, compact);
    log(
      `scenario done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${truth.totals.events} events, head block ${truth.headBlock}`,
    );
    if (live && session) {
      const s = session;
      traffic = startLiveTraffic({
        ctx: s.ctx,
        opts: { closeEpochs: true, keyed: s.keyed },
        rate: liveRate,
        log,
        onSnapshot: () => {
          truth = s.groundTruth();
          writeJsonFile(groundTruthFile, truth, compact);
        },
      });
      log(`live traffic on (~${liveRate} steps/s), ground truth rewritten every 10 s`);
    }
    return {
      rpcUrl: node.rpcUrl,
      deployment,
      deploymentFile,
      groundTruthFile,
      session,
      get groundTruth() {
        return truth;
      },
      async stop() {
        await traffic?.stop();
        traffic = undefined;
        await node.stop();
      },
    };
  } catch (err) {
    await traffic?.stop().catch(() => {});
    await node.stop();
    throw err;
  }
}

/** The truth of a deployment without traffic: nothing happened yet. */
async function emptyTruth(rpcUrl: string, deployment: Deployment, seed: number): Promise<GroundTruth> {
  const model = createTruthModel({ chainId: deployment.chainId, scenario: 'none', seed });
  model.headBlock = Number(await rpc<string>(rpcUrl, 'eth_blockNumber'));
  return computeGroundTruth(model);
}
