/**
 * The leaderboards the indexer must serve, derived from the ground truth JSON by naive code (never
 * imports src/domain, src/store or src/api). Rules (README "Leaderboards"):
 * - a board lists the rows whose value is positive (the reputation board: every address with a
 *   reputation, score 0 included), largest value first;
 * - equal values are ordered by id, the larger id first (addresses in byte order, Datanet and model
 *   ids as numbers);
 * - `rank` is the competition rank ("1224"): 1 + the number of rows with a strictly larger value;
 *   `position` is the 1-based place in the order.
 */
import type { GroundTruth } from '../types';

/** One row of a board. */
export interface TruthRank {
  id: string;
  value: string;
  rank: number;
  position: number;
}

/** Every board the API serves, keyed like the tests ask for them. */
export interface TruthLeaderboards {
  contributorsByReputation: TruthRank[];
  contributorsByEarnings: TruthRank[];
  /** epoch -> board of that epoch's accruals (all roles). */
  contributorsByEpochEarnings: Record<string, TruthRank[]>;
  /** datanetId -> board of CONTRIBUTOR earnings from that Datanet. */
  contributorsByDatanetEarnings: Record<string, TruthRank[]>;
  datanetsByFees: TruthRank[];
  datanetsByContributions: TruthRank[];
  modelsByInferences: TruthRank[];
  modelsByFees: TruthRank[];
}

type Entry = { id: string; value: bigint };

/** Orders and ranks entries by the rules above; `numericIds` compares ids as integers. */
export function rankEntries(entries: Entry[], numericIds = false): TruthRank[] {
  const idOrder = (a: string, b: string): number => {
    if (numericIds) return BigInt(a) > BigInt(b) ? -1 : BigInt(a) < BigInt(b) ? 1 : 0;
    return a > b ? -1 : a < b ? 1 : 0;
  };
  const sorted = [...entries].sort((a, b) => (a.value > b.value ? -1 : a.value < b.value ? 1 : idOrder(a.id, b.id)));
  return sorted.map((e, i) => ({
    id: e.id,
    value: e.value.toString(),
    // Literally the definition: one more than the rows that beat it.
    rank: 1 + entries.filter((x) => x.value > e.value).length,
    position: i + 1,
  }));
}

const positive = (entries: Entry[]) => entries.filter((e) => e.value > 0n);
const fromRecord = (rec: Record<string, string>): Entry[] =>
  Object.entries(rec).map(([id, v]) => ({ id, value: BigInt(v) }));

/** Computes every leaderboard of the ground truth. */
export function computeLeaderboards(truth: GroundTruth): TruthLeaderboards {
  const accounts = Object.entries(truth.accounts);
  const datanets = Object.entries(truth.datanets);
  const models = Object.entries(truth.models);
  return {
    contributorsByReputation: rankEntries(
      Object.entries(truth.reputation).map(([id, r]) => ({ id, value: BigInt(r.score) })),
    ),
    contributorsByEarnings: rankEntries(positive(accounts.map(([id, a]) => ({ id, value: BigInt(a.earnedTotal) })))),
    contributorsByEpochEarnings: Object.fromEntries(
      Object.entries(truth.epochs).map(([no, e]) => [no, rankEntries(positive(fromRecord(e.accounts)))]),
    ),
    contributorsByDatanetEarnings: Object.fromEntries(
      datanets.map(([id, d]) => [id, rankEntries(positive(fromRecord(d.contributorEarnings)))]),
    ),
    datanetsByFees: rankEntries(positive(datanets.map(([id, d]) => ({ id, value: BigInt(d.earnedTotal) }))), true),
    datanetsByContributions: rankEntries(
      positive(datanets.map(([id, d]) => ({ id, value: BigInt(d.contributions) }))),
      true,
    ),
    modelsByInferences: rankEntries(positive(models.map(([id, m]) => ({ id, value: BigInt(m.inferences) }))), true),
    modelsByFees: rankEntries(positive(models.map(([id, m]) => ({ id, value: BigInt(m.fees) }))), true),
  };
}
