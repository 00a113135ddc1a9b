/**
 * End-to-end checks of the leaderboards and of time travel, registered into the ground-truth e2e
 * suite (which indexes the scenario once): what GraphQL serves must equal what the simulator's
 * independent ground truth gives (src/devnet/truth/leaderboards.ts, src/devnet/truth/asOf.ts).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { GroundTruth } from '../../devnet';
import { payoutsAsOf, reputationScoreAsOf } from '../../devnet/truth/asOf';
import { computeLeaderboards, type TruthRank } from '../../devnet/truth/leaderboards';
import type { createGraphqlClient } from '../graphql';

/** What the checks need once the suite's `before` has run. */
export interface E2eContext {
  gql: ReturnType<typeof createGraphqlClient>;
  truth: GroundTruth;
}

/** Walks a leaderboard in small pages (so cursors carry ranks across many pages). */
async function walkBoard(ctx: E2eContext, field: string, args: string, idOf: string): Promise<TruthRank[]> {
  const rows: TruthRank[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await ctx.gql(
      `query($after: String) { ${field}(${args}, first: 7, after: $after) {
        edges { node { rank position value ${idOf} } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    const conn = data[field];
    for (const { node } of conn.edges) {
      rows.push({
        id: node.address ?? node.datanet?.id ?? node.model?.id,
        value: node.value,
        rank: node.rank,
        position: node.position,
      });
    }
    if (!conn.pageInfo.hasNextPage) return rows;
    after = conn.pageInfo.endCursor;
  }
}

/** Blocks worth asking about: 0, the head, both sides of every epoch close, and evenly spaced ones. */
function probeBlocks(truth: GroundTruth): number[] {
  const blocks = new Set([0, truth.headBlock]);
  for (const e of Object.values(truth.epochs)) {
    if (e.closedAtBlock !== null) [e.closedAtBlock - 1, e.closedAtBlock].forEach((b) => blocks.add(b));
  }
  for (let k = 1; k < 8; k++) blocks.add(Math.floor((truth.headBlock * k) / 8));
  return [...blocks].filter((b) => b >= 0 && b <= truth.headBlock).sort((a, b) => a - b);
}

/** Registers the leaderboard and time-travel checks (call inside the suite's describe). */
export function registerLeaderboardChecks(context: () => E2eContext): void {
  it('serves every leaderboard in the ground truth order, with its ranks', async () => {
    const ctx = context();
    const boards = computeLeaderboards(ctx.truth);
    const who = 'address';
    const checks: [string, string, string, TruthRank[]][] = [
      ['contributorLeaderboard', 'by: REPUTATION', who, boards.contributorsByReputation],
      ['contributorLeaderboard', 'by: EARNINGS', who, boards.contributorsByEarnings],
      ['datanetLeaderboard', 'by: FEES', 'datanet { id }', boards.datanetsByFees],
      ['datanetLeaderboard', 'by: CONTRIBUTIONS', 'datanet { id }', boards.datanetsByContributions],
      ['modelLeaderboard', 'by: INFERENCES', 'model { id }', boards.modelsByInferences],
      ['modelLeaderboard', 'by: FEES', 'model { id }', boards.modelsByFees],
      ...Object.entries(boards.contributorsByEpochEarnings).map(
        ([e, b]) =>
          ['contributorLeaderboard', `by: EARNINGS, epoch: "${e}"`, who, b] as [string, string, string, TruthRank[]],
      ),
      ...Object.entries(boards.contributorsByDatanetEarnings).map(
        ([d, b]) =>
          ['contributorLeaderboard', `by: EARNINGS, datanetId: "${d}"`, who, b] as [
            string,
            string,
            string,
            TruthRank[],
          ],
      ),
    ];
    let tied = 0;
    for (const [field, args, idOf, expected] of checks) {
      assert.deepEqual(await walkBoard(ctx, field, args, idOf), expected, `${field}(${args})`);
      tied += expected.filter((r, i) => i > 0 && r.rank === expected[i - 1].rank).length;
    }
    // The reputation board of the scenario has ties (scores are small integers): ranks are shared.
    assert.ok(tied > 0, 'the scenario produces ties');
    assert.ok(boards.contributorsByReputation.length > 20 && boards.contributorsByEarnings.length > 20);
  });

  it('serves payout totals and per-epoch payouts as of past blocks, equal to the ground truth history', async () => {
    const { gql, truth } = context();
    assert.ok(truth.payoutHistory, 'the small scenario keeps the payout history');
    const blocks = probeBlocks(truth);
    const totals = 'earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimed claimable pending';
    const epochFields = 'epoch asContributor asDatanetOwner asModelOwner total claimed epochClosed claimable pending';
    let nonZero = 0;
    for (const account of Object.keys(truth.payoutHistory)) {
      // Ten blocks (20 aliases, ~10,000 rows of cost) per request: within the API's default limits.
      const contributor: Record<string, any> = {};
      for (const part of chunks(blocks, 10)) {
        const fields = part
          .map(
            (b) => `t${b}: payoutTotals(asOfBlock: ${b}) { ${totals} }
            e${b}: payouts(asOfBlock: ${b}, first: 1000) { edges { node { ${epochFields} } } }`,
          )
          .join('\n');
        const data = await gql(`query($a: String!) { contributor(address: $a) { ${fields} } }`, { a: account });
        Object.assign(contributor, data.contributor);
      }
      for (const b of blocks) {
        const { epochs, ...expected } = payoutsAsOf(truth, account, b);
        assert.deepEqual(contributor[`t${b}`], expected, `${account} as of ${b}`);
        const served = Object.fromEntries(
          contributor[`e${b}`].edges.map(({ node: { epoch, epochClosed, ...n } }: any) => [
            epoch,
            { ...n, closed: epochClosed },
          ]),
        );
        assert.deepEqual(served, epochs, `${account} epochs as of ${b}`);
        if (expected.earnedTotal !== '0' && b < truth.headBlock) nonZero++;
      }
    }
    assert.ok(nonZero > 50, `${nonZero} non-trivial past totals checked`);
  });

  it('serves reputation scores as of past blocks, equal to the ground truth history', async () => {
    const { gql, truth } = context();
    const blocks = probeBlocks(truth);
    for (const [account, r] of Object.entries(truth.reputation)) {
      // Also both sides of every change of this account.
      const own = new Set([...blocks, ...r.history.flatMap((h) => [h.block - 1, h.block])]);
      const asked = [...own].filter((b) => b >= 0 && b <= truth.headBlock);
      const contributor: Record<string, any> = {};
      for (const part of chunks(asked, 25)) {
        const fields = part.map((b) => `r${b}: reputation(asOfBlock: ${b}) { score asOfBlock }`).join('\n');
        const data = await gql(`query($a: String!) { contributor(address: $a) { ${fields} } }`, { a: account });
        Object.assign(contributor, data.contributor);
      }
      for (const b of asked) {
        const score = reputationScoreAsOf(truth, account, b);
        assert.deepEqual(
          contributor[`r${b}`],
          score === null ? null : { score, asOfBlock: b },
          `${account} as of ${b}`,
        );
      }
    }
  });
}

/** `xs` in consecutive pieces of at most `n` (requests within the API's alias limit). */
function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
