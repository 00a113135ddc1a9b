/**
 * The query mix of `npm run bench:api`: the dashboard and explorer queries, each with the Subsquid
 * server's equivalent where it has one. Adding a query (e.g. a leaderboard) is one entry in
 * BENCH_QUERIES.
 */
import { encodeCursor } from '../api/pagination';
import type { ContributionRow } from '../api/rows';
import { ContributionOrder } from '../api/schema/contribution';

/** The default order of `contributions` (contributionId ascending), whose cursors the deep page builds. */
const CONTRIBUTION_KEYSET = ContributionOrder.keysetOf(null);
import { BENCH_PAGE_SIZE, type BenchFixtures, type DeepPage } from './apiFixtures';
import type { GraphqlRequest } from './apiLoad';

/** Decoded GraphQL JSON: each check and row extractor reads the shape its own query asked for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

/** Picks one element of a non-empty list (the benchmark's seeded random choice). */
export type Pick = <T>(list: readonly T[]) => T;

/** One server's form of a benchmark query. */
export interface ServerQuery {
  /** The next request: a document and variables drawn from the fixtures. */
  request(f: BenchFixtures, pick: Pick): GraphqlRequest;
  /** Why `data` is wrong (null, empty, another page), or null when it is right. */
  check(data: Data, expect: unknown): string | null;
  /** Ids of the rows answered, in order: the equivalence test compares them between the servers. */
  rows(data: Data): string[];
  /**
   * Requests sent once, one at a time, before the warm-up: they fill the caches a steady state has
   * (e.g. one claimProof per epoch builds every epoch's tree; bench:proof measures the first call).
   */
  prime?(f: BenchFixtures): GraphqlRequest[];
}

/** A query of the mix. */
export interface BenchQuery {
  /** Short name for `--only`. */
  id: string;
  title: string;
  /** 'list': a page of a list both servers answer the same way (the throughput target applies). */
  kind: 'list' | 'entity';
  /** p99 target in ms under load, where the issue sets one. */
  p99TargetMs?: number;
  /** Also measured at one connection (latency without queueing). */
  probe?: boolean;
  /** Part of the page-1 versus deep-page comparison. */
  depth?: 'first' | 'deep';
  /** False when the database cannot feed it (e.g. no list deep enough). */
  enabled?(f: BenchFixtures): boolean;
  ours: ServerQuery;
  subsquid?: ServerQuery;
}

const CONTRIBUTION_FIELDS = 'contributionId status qualityBps isDuplicate sizeBytes submittedAtBlock txHash';
const OUR_CONTRIBUTION = `id contributorAddress ${CONTRIBUTION_FIELDS}`;
const SQD_CONTRIBUTION = `id contributor { id } ${CONTRIBUTION_FIELDS}`;
const TRANSFER_FIELDS = 'id direction asset from to l2Token amount withdrawalHash blockNumber timestamp txHash';
const EPOCH_FIELDS =
  'epoch inferenceCount totalFees accruedToAccounts protocolAmount closed postedRoot reconciled earningAccounts claimedTotal claimCount';
const PAYOUT_FIELDS = 'account total asContributor asDatanetOwner asModelOwner claimed';
const DATANET_FIELDS = 'id name owner contributionCount acceptedCount ownerEarned contributorsEarned';
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

/** The nodes of a connection at `data[field]`, or null when it is missing. */
function nodes(conn: Data): Data[] | null {
  return Array.isArray(conn?.edges) ? conn.edges.map((e: Data) => e.node) : null;
}

/** A check that a list holds between `min` and the page size rows. */
function sized(list: Data[] | null, min: number, what: string): string | null {
  if (!list) return `${what}: no list in the answer`;
  if (list.length < min || list.length > BENCH_PAGE_SIZE) return `${what}: ${list.length} rows`;
  return null;
}

/** A check that a contributions page is full and starts with the expected contributionId. */
function pageStartsAt(list: Data[] | null, firstId: unknown): string | null {
  const size = sized(list, BENCH_PAGE_SIZE, 'contributions page');
  if (size) return size;
  return list![0].contributionId === firstId ? null : `page starts at ${list![0].contributionId}, not ${firstId}`;
}

/** Our cursor for "after the row with this contributionId". */
function contributionCursor(contributionId: string): string {
  const row = { contributionId } as ContributionRow;
  return encodeCursor(
    CONTRIBUTION_KEYSET.name,
    CONTRIBUTION_KEYSET.keys.map((k) => k.of(row)),
  );
}

const ids = (list: Data[] | null, key = 'id') => (list ?? []).map((r) => String(r[key]));

/** The mix, in the order it runs. */
export const BENCH_QUERIES: BenchQuery[] = [
  {
    id: 'contributor',
    title: 'contributor page (totals, reputation, recent payouts)',
    kind: 'entity',
    p99TargetMs: 50,
    ours: {
      request: (f, pick) => ({
        query: `query ($address: String!) { contributor(address: $address) {
          address contributionCount acceptedCount rejectedCount pendingCount duplicateCount slashCount
          earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimed claimable pending
          reputation { score acceptanceBps qualityBps impactBps }
          payouts(first: 10) { edges { node { epoch ${PAYOUT_FIELDS} claimable pending } } ${PAGE_INFO} } } }`,
        variables: { address: pick(f.contributors) },
      }),
      check: (d) => (d.contributor?.reputation ? sized(nodes(d.contributor.payouts), 0, 'payouts') : 'no contributor'),
      rows: (d) => [d.contributor?.address, ...ids(nodes(d.contributor?.payouts), 'epoch')],
    },
    subsquid: {
      request: (f, pick) => ({
        query: `query ($id: String!) { accountById(id: $id) {
          id contributionCount acceptedCount rejectedCount pendingCount duplicateCount slashCount
          earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimedTotal
          reputationScore acceptanceBps qualityBps impactBps }
          accountEpoches(where: { account_eq: $id }, orderBy: epoch_DESC, limit: 10) { epoch ${PAYOUT_FIELDS} } }`,
        variables: { id: pick(f.contributors) },
      }),
      check: (d) => (d.accountById ? sized(d.accountEpoches, 0, 'payouts') : 'no account'),
      rows: (d) => [d.accountById?.id, ...ids(d.accountEpoches, 'epoch')],
    },
  },
  {
    id: 'datanet-contributions',
    title: 'contributions of a Datanet, page 1',
    kind: 'list',
    ours: {
      request: (f, pick) => ({
        query: `query ($datanetId: ID!) { contributions(first: ${BENCH_PAGE_SIZE}, where: { datanetId: $datanetId }) {
          edges { cursor node { ${OUR_CONTRIBUTION} } } ${PAGE_INFO} } }`,
        variables: { datanetId: pick(f.datanets) },
      }),
      check: (d) => sized(nodes(d.contributions), 1, 'contributions'),
      rows: (d) => ids(nodes(d.contributions)),
    },
    subsquid: {
      request: (f, pick) => ({
        query: `query ($datanetId: String!) { contributions(where: { datanet: { id_eq: $datanetId } },
          orderBy: contributionId_ASC, limit: ${BENCH_PAGE_SIZE}) { ${SQD_CONTRIBUTION} } }`,
        variables: { datanetId: pick(f.datanets) },
      }),
      check: (d) => sized(d.contributions, 1, 'contributions'),
      rows: (d) => ids(d.contributions),
    },
  },
  {
    id: 'bridge-history',
    title: 'bridge history of an account, newest first',
    kind: 'list',
    ours: {
      request: (f, pick) => ({
        query: `query ($account: String!) { bridgeTransfers(first: ${BENCH_PAGE_SIZE}, where: { account: $account },
          orderBy: { field: CHAIN, direction: DESC }) { edges { cursor node { ${TRANSFER_FIELDS} } } ${PAGE_INFO} } }`,
        variables: { account: pick(f.bridgeAccounts) },
      }),
      check: (d) => sized(nodes(d.bridgeTransfers), 1, 'transfers'),
      rows: (d) => ids(nodes(d.bridgeTransfers)),
    },
    subsquid: {
      request: (f, pick) => ({
        query: `query ($account: String!) { bridgeTransfers(where: { OR: [{ from_eq: $account }, { to_eq: $account }] },
          orderBy: [blockNumber_DESC, logIndex_DESC, id_DESC], limit: ${BENCH_PAGE_SIZE}) { ${TRANSFER_FIELDS} } }`,
        variables: { account: pick(f.bridgeAccounts) },
      }),
      check: (d) => sized(d.bridgeTransfers, 1, 'transfers'),
      rows: (d) => ids(d.bridgeTransfers),
    },
  },
  {
    id: 'epochs',
    title: 'epoch table (every epoch with its totals)',
    kind: 'list',
    ours: {
      request: () => ({
        query: `{ epochs(first: ${BENCH_PAGE_SIZE}) { edges { cursor node { ${EPOCH_FIELDS} } } ${PAGE_INFO} } }`,
        variables: {},
      }),
      check: (d) => sized(nodes(d.epochs), 1, 'epochs'),
      rows: (d) => ids(nodes(d.epochs), 'epoch'),
    },
    subsquid: {
      request: () => ({
        query: `{ epoches(orderBy: epoch_ASC, limit: ${BENCH_PAGE_SIZE}) { ${EPOCH_FIELDS} } }`,
        variables: {},
      }),
      check: (d) => sized(d.epoches, 1, 'epochs'),
      rows: (d) => ids(d.epoches, 'epoch'),
    },
  },
  {
    // An epoch's payout table (its accounts by total earned): the per-epoch earnings board.
    id: 'leaderboard-epoch',
    title: 'leaderboard: top earners of an epoch (Epoch.accounts)',
    kind: 'list',
    p99TargetMs: 50,
    ours: {
      request: (f, pick) => ({
        query: `query ($epoch: ID!) { epoch(number: $epoch) { epoch closed
          accounts(first: ${BENCH_PAGE_SIZE}) { edges { cursor node { ${PAYOUT_FIELDS} } } ${PAGE_INFO} } } }`,
        variables: { epoch: pick(f.epochs) },
      }),
      check: (d) => (d.epoch ? sized(nodes(d.epoch.accounts), 1, 'accounts') : 'no epoch'),
      rows: (d) => ids(nodes(d.epoch?.accounts), 'account'),
    },
    subsquid: {
      request: (f, pick) => ({
        query: `query ($id: String!, $epoch: BigInt!) { epochById(id: $id) { epoch closed }
          accountEpoches(where: { epoch_eq: $epoch }, orderBy: [total_DESC, account_ASC], limit: ${BENCH_PAGE_SIZE}) {
            ${PAYOUT_FIELDS} } }`,
        variables: ((epoch: string) => ({ id: epoch, epoch }))(pick(f.epochs)),
      }),
      check: (d) => (d.epochById ? sized(d.accountEpoches, 1, 'accounts') : 'no epoch'),
      rows: (d) => ids(d.accountEpoches, 'account'),
    },
  },
  {
    id: 'leaderboard-earners',
    title: 'leaderboard: top earners, all roles, all time (contributorLeaderboard)',
    kind: 'list',
    p99TargetMs: 50,
    ours: {
      request: () => ({
        query: `{ contributorLeaderboard(by: EARNINGS, first: ${BENCH_PAGE_SIZE}) {
          edges { cursor node { rank position address value } } ${PAGE_INFO} } }`,
        variables: {},
      }),
      check: (d) => sized(nodes(d.contributorLeaderboard), 1, 'rows'),
      rows: (d) => ids(nodes(d.contributorLeaderboard), 'address'),
    },
    subsquid: {
      // The same rows in the same order: positive earnings, largest first, ties by id descending.
      request: () => ({
        query: `{ accounts(where: { earnedTotal_gt: 0 }, orderBy: [earnedTotal_DESC, id_DESC], limit: ${BENCH_PAGE_SIZE}) {
          id earnedTotal } }`,
        variables: {},
      }),
      check: (d) => sized(d.accounts, 1, 'rows'),
      rows: (d) => ids(d.accounts),
    },
  },
  {
    // Datanets by what their owners earned.
    id: 'leaderboard-datanets',
    title: 'leaderboard: Datanets by owner earnings',
    kind: 'list',
    p99TargetMs: 50,
    ours: {
      request: () => ({
        query: `{ datanets(first: ${BENCH_PAGE_SIZE}, orderBy: { field: OWNER_EARNED, direction: DESC }) {
          edges { cursor node { ${DATANET_FIELDS} } } ${PAGE_INFO} } }`,
        variables: {},
      }),
      check: (d) => sized(nodes(d.datanets), 1, 'datanets'),
      rows: (d) => ids(nodes(d.datanets)),
    },
    subsquid: {
      request: () => ({
        query: `{ datanets(orderBy: [ownerEarned_DESC, datanetId_DESC], limit: ${BENCH_PAGE_SIZE}) { ${DATANET_FIELDS} } }`,
        variables: {},
      }),
      check: (d) => sized(d.datanets, 1, 'datanets'),
      rows: (d) => ids(d.datanets),
    },
  },
  {
    id: 'claim-proof',
    title: 'claimProof (leaf and Merkle proof of a closed epoch)',
    kind: 'entity',
    enabled: (f) => f.claims.length > 0,
    ours: {
      prime: (f) =>
        [...new Map(f.claims.map((c) => [c.epoch, c])).values()].map(({ epoch, account }) => ({
          query: `query ($epoch: BigInt!, $account: String!) { claimProof(epoch: $epoch, account: $account) { root } }`,
          variables: { epoch, account },
        })),
      request: (f, pick) => {
        const { epoch, account } = pick(f.claims);
        return {
          query: `query ($epoch: BigInt!, $account: String!) {
            claimProof(epoch: $epoch, account: $account) { epoch account amount proof root leafIndex claimed } }`,
          variables: { epoch, account },
        };
      },
      check: (d) => (Array.isArray(d.claimProof?.proof) ? null : 'no proof'),
      rows: (d) => [d.claimProof?.account],
    },
  },
  {
    id: 'page-1',
    title: 'all contributions, page 1',
    kind: 'list',
    probe: true,
    depth: 'first',
    ours: {
      request: (f) => ({
        query: `{ contributions(first: ${BENCH_PAGE_SIZE}) { edges { cursor node { ${OUR_CONTRIBUTION} } } ${PAGE_INFO} } }`,
        variables: {},
        expect: f.firstContributionId,
      }),
      check: (d, first) => pageStartsAt(nodes(d.contributions), first),
      rows: (d) => ids(nodes(d.contributions)),
    },
    subsquid: {
      request: (f) => ({
        query: `{ contributions(orderBy: contributionId_ASC, limit: ${BENCH_PAGE_SIZE}, offset: 0) { ${SQD_CONTRIBUTION} } }`,
        variables: {},
        expect: f.firstContributionId,
      }),
      check: (d, first) => pageStartsAt(d.contributions, first),
      rows: (d) => ids(d.contributions),
    },
  },
  {
    id: 'page-deep',
    title: 'all contributions, deep page (keyset cursor / offset)',
    kind: 'list',
    probe: true,
    depth: 'deep',
    enabled: (f) => f.deep.length > 0,
    ours: {
      request: (f, pick) => {
        const page: DeepPage = pick(f.deep);
        return {
          query: `query ($after: String!) { contributions(first: ${BENCH_PAGE_SIZE}, after: $after) {
            edges { cursor node { ${OUR_CONTRIBUTION} } } ${PAGE_INFO} } }`,
          variables: { after: contributionCursor(page.afterId) },
          expect: page.firstId,
        };
      },
      check: (d, first) => pageStartsAt(nodes(d.contributions), first),
      rows: (d) => ids(nodes(d.contributions)),
    },
    subsquid: {
      request: (f, pick) => {
        const page: DeepPage = pick(f.deep);
        return {
          query: `query ($offset: Int!) { contributions(orderBy: contributionId_ASC, limit: ${BENCH_PAGE_SIZE},
            offset: $offset) { ${SQD_CONTRIBUTION} } }`,
          variables: { offset: page.offset },
          expect: page.firstId,
        };
      },
      check: (d, first) => pageStartsAt(d.contributions, first),
      rows: (d) => ids(d.contributions),
    },
  },
];

/** A seeded pseudo-random `pick` (mulberry32), so two runs send the same sequence of keys. */
export function seededPick(seed: number): Pick {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
}
