// Leaderboards: contributors by reputation and by earnings (all time, per epoch, per Datanet),
// Datanets by fees and by contributions, models by inferences and by fees. Rank semantics and the
// indexes behind each order are in the README ("Leaderboards").
import { builder } from '../builder';
import type { ApiContext } from '../context';
import { badUserInput } from '../errors';
import { loadAccounts } from '../loaders';
import { Where, type Keyset } from '../pagination';
import { findRankedPage, type Ranked } from '../ranking';
import type { DatanetRow, ModelRow } from '../rows';
import { parseDecimal } from '../validate';
import { pageArgs } from './common';
import { ContributorRef, DatanetRef, ModelRef } from './refs';

/** A row of a contributor board: the address and its ranked value (decimal string, or an Int score). */
interface BoardRow {
  address: string;
  value: string | number;
}

const rankFields = {
  rank: 'Competition rank ("1224"): 1 + the number of rows with a strictly larger value; equal values share it.',
  position: '1-based place in the order (equal values: the larger id first).',
} as const;

const ContributorRankRef = builder.objectRef<Ranked<BoardRow>>('ContributorRank').implement({
  description: 'An address on a contributor leaderboard, with its rank and the value it is ranked by.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: rankFields.rank }),
    position: t.exposeInt('position', { description: rankFields.position }),
    address: t.string({ description: 'The address (lowercase).', resolve: (r) => r.row.address }),
    value: t.expose('value', {
      type: 'BigInt',
      description: 'What it is ranked by: its reputation score (0..1000) or its earnings (wei), per the board.',
    }),
    contributor: t.loadable({
      type: ContributorRef,
      description: 'The address as a contributor (totals, reputation, payouts).',
      // A ranked address always has its account row (payments and reputation create it).
      load: async (ids: string[], ctx: ApiContext) =>
        (await loadAccounts(ctx.db, ids)).map((r, i) => r ?? new Error(`account ${ids[i]} is missing`)),
      resolve: (r) => r.row.address,
    }),
  }),
});

const DatanetRankRef = builder.objectRef<Ranked<DatanetRow>>('DatanetRank').implement({
  description: 'A Datanet on a Datanet leaderboard, with its rank and the value it is ranked by.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: rankFields.rank }),
    position: t.exposeInt('position', { description: rankFields.position }),
    value: t.expose('value', {
      type: 'BigInt',
      description: 'What it is ranked by: the fees paid for its data (wei) or its contribution count, per the board.',
    }),
    datanet: t.field({ type: DatanetRef, description: 'The Datanet.', resolve: (r) => r.row }),
  }),
});

const ModelRankRef = builder.objectRef<Ranked<ModelRow>>('ModelRank').implement({
  description: 'A model on a model leaderboard, with its rank and the value it is ranked by.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: rankFields.rank }),
    position: t.exposeInt('position', { description: rankFields.position }),
    value: t.expose('value', {
      type: 'BigInt',
      description: 'What it is ranked by: its inference count or the fees of its inferences (wei), per the board.',
    }),
    model: t.field({ type: ModelRef, description: 'The model.', resolve: (r) => r.row }),
  }),
});

const ContributorRankConnection = builder.connectionObject(
  { type: ContributorRankRef, name: 'ContributorRankConnection', description: 'A page of a contributor leaderboard.' },
  { name: 'ContributorRankEdge', description: 'A ranked address and its cursor.' },
);
const DatanetRankConnection = builder.connectionObject(
  { type: DatanetRankRef, name: 'DatanetRankConnection', description: 'A page of a Datanet leaderboard.' },
  { name: 'DatanetRankEdge', description: 'A ranked Datanet and its cursor.' },
);
const ModelRankConnection = builder.connectionObject(
  { type: ModelRankRef, name: 'ModelRankConnection', description: 'A page of a model leaderboard.' },
  { name: 'ModelRankEdge', description: 'A ranked model and its cursor.' },
);

const ContributorRanking = builder.enumType('ContributorRanking', {
  description: 'What a contributor leaderboard ranks by.',
  values: {
    REPUTATION: { description: 'Reputation v1 score; every address with a reputation (score 0 included).' },
    EARNINGS: {
      description:
        'Earnings (wei), addresses that earned something: all roles all time; with `epoch`, accrued in that epoch (all roles, the Merkle leaf); with `datanetId`, CONTRIBUTOR payments for contributions to that Datanet.',
    },
  } as const,
});
const DatanetRanking = builder.enumType('DatanetRanking', {
  description: 'What the Datanet leaderboard ranks by (Datanets with a positive value).',
  values: {
    FEES: { description: 'Fees paid for its data: owner earnings + contributor earnings (wei).' },
    CONTRIBUTIONS: { description: 'Contributions submitted to it.' },
  } as const,
});
const ModelRanking = builder.enumType('ModelRanking', {
  description: 'What the model leaderboard ranks by (models with a positive value).',
  values: {
    INFERENCES: { description: 'Inferences settled for it.' },
    FEES: { description: 'Fees of its inferences (wei).' },
  } as const,
});

// Every order is (value DESC, id DESC): one composite btree index read backwards serves it, and a cursor
// is a single row comparison the index seeks to, even inside a large group of equal values.
const address = (expr: string) => ({ expr, type: 'text', of: (r: BoardRow) => r.address }) as const;
const REPUTATION: Keyset<BoardRow> = {
  name: 'board:reputation',
  direction: 'DESC',
  keys: [{ expr: 'a.reputation_score', type: 'int', of: (r) => r.value }, address('a.id')],
};
const EARNINGS: Keyset<BoardRow> = {
  name: 'board:earnings',
  direction: 'DESC',
  keys: [{ expr: 'a.earned_total', type: 'numeric', of: (r) => r.value }, address('a.id')],
};
const epochEarnings = (epoch: string): Keyset<BoardRow> => ({
  name: `board:earnings:epoch=${epoch}`,
  direction: 'DESC',
  keys: [{ expr: 'ae.total', type: 'numeric', of: (r) => r.value }, address('ae.account')],
});
const datanetEarnings = (datanetId: string): Keyset<BoardRow> => ({
  name: `board:earnings:datanet=${datanetId}`,
  direction: 'DESC',
  keys: [{ expr: 'da.earned', type: 'numeric', of: (r) => r.value }, address('da.account')],
});
const byDatanetId = { expr: 'd.datanet_id', type: 'numeric', of: (d: DatanetRow) => d.datanetId } as const;
const DATANET_BOARDS: Record<typeof DatanetRanking.$inferType, { column: string; keyset: Keyset<DatanetRow> }> = {
  FEES: {
    column: 'd.earned_total',
    keyset: {
      name: 'board:datanet-fees',
      direction: 'DESC',
      keys: [{ expr: 'd.earned_total', type: 'numeric', of: (d) => d.earnedTotal }, byDatanetId],
    },
  },
  CONTRIBUTIONS: {
    column: 'd.contribution_count',
    keyset: {
      name: 'board:datanet-contributions',
      direction: 'DESC',
      keys: [{ expr: 'd.contribution_count', type: 'int', of: (d) => d.contributionCount }, byDatanetId],
    },
  },
};
const byModelId = { expr: 'm.model_id', type: 'numeric', of: (m: ModelRow) => m.modelId } as const;
const MODEL_BOARDS: Record<typeof ModelRanking.$inferType, { column: string; keyset: Keyset<ModelRow> }> = {
  INFERENCES: {
    column: 'm.inference_count',
    keyset: {
      name: 'board:model-inferences',
      direction: 'DESC',
      keys: [{ expr: 'm.inference_count', type: 'int', of: (m) => m.inferenceCount }, byModelId],
    },
  },
  FEES: {
    column: 'm.total_fees',
    keyset: {
      name: 'board:model-fees',
      direction: 'DESC',
      keys: [{ expr: 'm.total_fees', type: 'numeric', of: (m) => m.totalFees }, byModelId],
    },
  },
};

/** The board query of `contributorLeaderboard` for validated arguments. */
function contributorBoard(by: 'REPUTATION' | 'EARNINGS', epoch: string | undefined, datanetId: string | undefined) {
  const where = new Where();
  if (by === 'REPUTATION') {
    where.and('a.reputation_score IS NOT NULL');
    return { select: 'a.id AS address, a.reputation_score AS value', from: 'account a', where, keyset: REPUTATION };
  }
  if (epoch !== undefined) {
    where.and(`ae.epoch = ${where.param(epoch)}`).and('ae.total > 0');
    const keyset = epochEarnings(epoch);
    return { select: 'ae.account AS address, ae.total AS value', from: 'account_epoch ae', where, keyset };
  }
  if (datanetId !== undefined) {
    where.and(`da.datanet_id = ${where.param(datanetId)}`).and('da.earned > 0');
    const keyset = datanetEarnings(datanetId);
    return { select: 'da.account AS address, da.earned AS value', from: 'datanet_account da', where, keyset };
  }
  where.and('a.earned_total > 0');
  return { select: 'a.id AS address, a.earned_total AS value', from: 'account a', where, keyset: EARNINGS };
}

builder.queryFields((t) => ({
  contributorLeaderboard: t.field({
    type: ContributorRankConnection,
    description:
      'Addresses ranked by reputation or by earnings, largest first; equal values share a rank and are ordered by address, the larger first.',
    args: {
      ...pageArgs,
      by: t.arg({ type: ContributorRanking, required: true, description: 'What to rank by.' }),
      epoch: t.arg({
        type: 'BigInt',
        required: false,
        description: 'With EARNINGS: rank by what accrued in this epoch (all roles).',
      }),
      datanetId: t.arg.id({
        required: false,
        description: "With EARNINGS: rank this Datanet's contributors by their CONTRIBUTOR earnings from it.",
      }),
    },
    resolve: (_, args, ctx) => {
      if (args.by === 'REPUTATION') {
        if (args.epoch != null) throw badUserInput('epoch', 'only applies to by: EARNINGS.');
        if (args.datanetId != null) throw badUserInput('datanetId', 'only applies to by: EARNINGS.');
      }
      if (args.epoch != null && args.datanetId != null)
        throw badUserInput('datanetId', 'cannot be combined with epoch: rank per epoch or per Datanet.');
      const epoch = args.epoch != null ? parseDecimal('epoch', String(args.epoch)) : undefined;
      const datanetId = args.datanetId != null ? parseDecimal('datanetId', String(args.datanetId)) : undefined;
      return findRankedPage(ctx.db, contributorBoard(args.by, epoch, datanetId), args);
    },
  }),
  datanetLeaderboard: t.field({
    type: DatanetRankConnection,
    description:
      'Datanets ranked by fees paid for their data or by contributions, largest first; equal values share a rank and are ordered by datanetId, the larger first.',
    args: {
      ...pageArgs,
      by: t.arg({ type: DatanetRanking, required: true, description: 'What to rank by.' }),
    },
    resolve: (_, args, ctx) => {
      const { column, keyset } = DATANET_BOARDS[args.by];
      const where = new Where().and(`${column} > 0`);
      return findRankedPage(ctx.db, { select: 'd.*', from: 'datanet d', where, keyset }, args);
    },
  }),
  modelLeaderboard: t.field({
    type: ModelRankConnection,
    description:
      'Models ranked by inferences or by the fees of their inferences, largest first; equal values share a rank and are ordered by modelId, the larger first.',
    args: {
      ...pageArgs,
      by: t.arg({ type: ModelRanking, required: true, description: 'What to rank by.' }),
    },
    resolve: (_, args, ctx) => {
      const { column, keyset } = MODEL_BOARDS[args.by];
      const where = new Where().and(`${column} > 0`);
      return findRankedPage(ctx.db, { select: 'm.*', from: 'model m', where, keyset }, args);
    },
  }),
}));
