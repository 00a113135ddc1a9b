/**
 * Facts read straight from the devnet, independently of the indexer (no decode, store or database
 * code): block timestamps, and the submissions, Datanet names and model names from the configured
 * contracts' logs, decoded with viem from the event signatures of PROTOCOL.md. The SQL tests join
 * them with the simulator's ground truth where the truth has no times or names.
 */
import { createPublicClient, http, parseAbiItem } from 'viem';
import type { Deployment } from '../../devnet';

/** One ContributionSubmitted log. */
export interface ChainSubmission {
  block: number;
  datanetId: string;
  contributor: string;
  sizeBytes: bigint;
}

/** What the SQL tests need from the chain itself. */
export interface ChainFacts {
  /** Unix seconds of every block from 0 to the head. */
  blockTime(block: number): number;
  /** contributionId (decimal) -> its submission. */
  submissions: Map<string, ChainSubmission>;
  /** datanetId -> name (DatanetCreated). */
  datanetNames: Map<string, string>;
  /** modelId -> name (ModelRegistered). */
  modelNames: Map<string, string>;
}

const SUBMITTED = parseAbiItem(
  'event ContributionSubmitted(uint256 indexed contributionId, uint256 indexed datanetId, address indexed contributor, bytes32 dataHash, uint64 sizeBytes, string uri)',
);
const DATANET_CREATED = parseAbiItem(
  'event DatanetCreated(uint256 indexed datanetId, address indexed owner, string name, string metadataURI)',
);
const MODEL_REGISTERED = parseAbiItem(
  'event ModelRegistered(uint256 indexed modelId, address indexed owner, string name, uint256[] datanetIds)',
);

/** Reads the facts of blocks 0..`head` from the node at `rpcUrl`. */
export async function readChainFacts(rpcUrl: string, deployment: Deployment, head: number): Promise<ChainFacts> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }), cacheTime: 0 });
  const times: number[] = [];
  for (let from = 0; from <= head; from += 25) {
    const blocks = await Promise.all(
      Array.from({ length: Math.min(25, head - from + 1) }, (_, k) =>
        client.getBlock({ blockNumber: BigInt(from + k) }),
      ),
    );
    for (const b of blocks) times[Number(b.number)] = Number(b.timestamp);
  }
  const range = { fromBlock: 0n, toBlock: BigInt(head) };
  const [submitted, created, registered] = await Promise.all([
    client.getLogs({ address: deployment.contracts.DatanetRegistry as `0x${string}`, event: SUBMITTED, ...range }),
    client.getLogs({
      address: deployment.contracts.DatanetRegistry as `0x${string}`,
      event: DATANET_CREATED,
      ...range,
    }),
    client.getLogs({ address: deployment.contracts.ModelRegistry as `0x${string}`, event: MODEL_REGISTERED, ...range }),
  ]);
  const submissions = new Map<string, ChainSubmission>();
  for (const log of submitted) {
    submissions.set(log.args.contributionId!.toString(), {
      block: Number(log.blockNumber),
      datanetId: log.args.datanetId!.toString(),
      contributor: log.args.contributor!.toLowerCase(),
      sizeBytes: log.args.sizeBytes!,
    });
  }
  return {
    blockTime(block) {
      const t = times[block];
      if (t === undefined) throw new Error(`no timestamp read for block ${block}`);
      return t;
    },
    submissions,
    datanetNames: new Map(created.map((l) => [l.args.datanetId!.toString(), l.args.name!])),
    modelNames: new Map(registered.map((l) => [l.args.modelId!.toString(), l.args.name!])),
  };
}
