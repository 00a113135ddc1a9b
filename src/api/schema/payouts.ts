// Per-epoch payouts (account_epoch), Datanet and model epoch totals, claim totals and Merkle claim
// proofs (PROTOCOL.md sections 3 and 4).
import { builder } from '../builder';
import { childPageQuery, findChildPage } from '../childPages';
import type { ApiContext } from '../context';
import { epochPayoutsAsOfSql, parseAsOfBlock } from '../asOf';
import type { ApiDb } from '../db';
import { epochTrees } from '../epochTrees';
import { badUserInput } from '../errors';
import { loadDatanets, loadModels } from '../loaders';
import { findPage, Where, type Keyset } from '../pagination';
import type { AccountEpochRow, DatanetEpochRow, EpochRow, ModelEpochRow } from '../rows';
import { parseAddress, parseDecimal } from '../validate';
import { pageArgs } from './common';
import { accountPayoutsQuery, PAYOUT_FROM, PAYOUT_SELECT, PAYOUTS_BY_EPOCH } from '../payoutQueries';
import { payoutTotals } from './payoutTotals';
import { ContributorRef, DatanetEpochRef, DatanetRef, EpochPayoutRef, EpochRef, ModelEpochRef, ModelRef } from './refs';

EpochPayoutRef.implement({
  description:
    'What one account accrued and claimed in one epoch, by role. Its Merkle leaf is [account, total]; what is claimable or pending follows from whether the epoch is closed.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'epoch-account.' }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'The epoch number.' }),
    account: t.exposeString('account', { description: 'The account (lowercase address).' }),
    asContributor: t.expose('asContributor', {
      type: 'BigInt',
      description: 'Accrued in the CONTRIBUTOR role in the epoch (wei).',
    }),
    asDatanetOwner: t.expose('asDatanetOwner', {
      type: 'BigInt',
      description: 'Accrued in the DATANET_OWNER role in the epoch (wei).',
    }),
    asModelOwner: t.expose('asModelOwner', {
      type: 'BigInt',
      description: 'Accrued in the MODEL_OWNER role in the epoch (wei).',
    }),
    total: t.expose('total', {
      type: 'BigInt',
      description: 'Accrued in all roles: the Merkle leaf amount (wei). 0 on a row that only records a claim.',
    }),
    claimed: t.expose('claimed', {
      type: 'BigInt',
      description: "Sum of the account's RewardClaimed amounts for the epoch: what the vault paid (wei).",
    }),
    claimCount: t.exposeInt('claimCount', { description: 'RewardClaimed events of the account for the epoch.' }),
    epochClosed: t.exposeBoolean('epochClosed', { description: 'True when the epoch is closed (claims are open).' }),
    claimable: t.expose('claimable', {
      type: 'BigInt',
      description: 'Closed epoch: max(0, total - claimed); open epoch: 0 (wei).',
    }),
    pending: t.expose('pending', {
      type: 'BigInt',
      description: 'Open epoch: total (not claimable before the epoch closes); closed epoch: 0 (wei).',
    }),
    firstAccruedAtBlock: t.exposeInt('firstAccruedAtBlock', {
      description: 'Block of the first accrual (or of the claim, on a row that only records a claim).',
    }),
    lastClaimAtBlock: t.exposeInt('lastClaimAtBlock', {
      nullable: true,
      description: 'Block of the latest RewardClaimed (null before the first).',
    }),
  }),
});

const EpochPayoutConnection = builder.connectionObject(
  { type: EpochPayoutRef, name: 'EpochPayoutConnection', description: 'A page of per-epoch account payouts.' },
  { name: 'EpochPayoutEdge', description: 'A per-epoch account payout and its cursor.' },
);

DatanetEpochRef.implement({
  description: "What one Datanet's contributors and owner earned in one epoch.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'datanetId-epoch.' }),
    datanetId: t.expose('datanetId', { type: 'BigInt', description: 'The datanetId.' }),
    datanet: t.loadable({
      type: DatanetRef,
      nullable: true,
      description: 'The Datanet.',
      load: (ids: string[], ctx: ApiContext) => loadDatanets(ctx.db, ids),
      resolve: (r) => r.datanetId,
    }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'The epoch number.' }),
    eligibleAttributionCount: t.exposeInt('eligibleAttributionCount', {
      description: 'Eligible attributions to its contributions in inferences settled into the epoch.',
    }),
    contributorsEarned: t.expose('contributorsEarned', {
      type: 'BigInt',
      description: 'Paid to its contributors (CONTRIBUTOR role) in the epoch (wei).',
    }),
    ownerEarned: t.expose('ownerEarned', {
      type: 'BigInt',
      description: 'Paid to its owner (DATANET_OWNER role) in the epoch (wei).',
    }),
  }),
});

const DatanetEpochConnection = builder.connectionObject(
  { type: DatanetEpochRef, name: 'DatanetEpochConnection', description: 'A page of per-epoch Datanet totals.' },
  { name: 'DatanetEpochEdge', description: 'A per-epoch Datanet total and its cursor.' },
);

ModelEpochRef.implement({
  description: "One model's inferences, fees and payouts in one epoch.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'modelId-epoch.' }),
    modelId: t.expose('modelId', { type: 'BigInt', description: 'The modelId.' }),
    model: t.loadable({
      type: ModelRef,
      nullable: true,
      description: 'The model.',
      load: (ids: string[], ctx: ApiContext) => loadModels(ctx.db, ids),
      resolve: (r) => r.modelId,
    }),
    epoch: t.expose('epoch', { type: 'BigInt', description: 'The epoch number.' }),
    inferenceCount: t.exposeInt('inferenceCount', { description: 'Its inferences settled into the epoch.' }),
    fees: t.expose('fees', { type: 'BigInt', description: 'Their fees (wei).' }),
    ownerEarned: t.expose('ownerEarned', {
      type: 'BigInt',
      description: 'Paid to its owner (MODEL_OWNER role) in the epoch (wei).',
    }),
    contributorsEarned: t.expose('contributorsEarned', {
      type: 'BigInt',
      description: 'Paid to contributors from its inferences in the epoch (wei).',
    }),
    datanetOwnersEarned: t.expose('datanetOwnersEarned', {
      type: 'BigInt',
      description: 'Paid to Datanet owners from its inferences in the epoch (wei).',
    }),
    protocolEarned: t.expose('protocolEarned', {
      type: 'BigInt',
      description: 'Kept by the protocol from its inferences in the epoch (wei).',
    }),
  }),
});

const ModelEpochConnection = builder.connectionObject(
  { type: ModelEpochRef, name: 'ModelEpochConnection', description: 'A page of per-epoch model totals.' },
  { name: 'ModelEpochEdge', description: 'A per-epoch model total and its cursor.' },
);

// Orders. Epoch numbers and ids are numeric; an account breaks ties in byte order.
const PAYOUTS_BY_TOTAL: Keyset<AccountEpochRow> = {
  name: 'epoch-payout:total-desc',
  direction: 'DESC',
  keys: [
    { expr: 'ae.total', type: 'numeric', of: (r) => r.total },
    { expr: 'ae.account COLLATE "C"', type: 'text', of: (r) => r.account, direction: 'ASC' },
  ],
};
const DATANET_EPOCHS_BY_DATANET: Keyset<DatanetEpochRow> = {
  name: 'datanet-epoch:datanet',
  direction: 'ASC',
  keys: [{ expr: 'de.datanet_id::numeric', type: 'numeric', of: (r) => r.datanetId }],
};
const DATANET_EPOCHS_BY_EPOCH: Keyset<DatanetEpochRow> = {
  name: 'datanet-epoch:epoch-desc',
  direction: 'DESC',
  keys: [{ expr: 'de.epoch', type: 'numeric', of: (r) => r.epoch }],
};
const MODEL_EPOCHS_BY_MODEL: Keyset<ModelEpochRow> = {
  name: 'model-epoch:model',
  direction: 'ASC',
  keys: [{ expr: 'me.model_id::numeric', type: 'numeric', of: (r) => r.modelId }],
};
const MODEL_EPOCHS_BY_EPOCH: Keyset<ModelEpochRow> = {
  name: 'model-epoch:epoch-desc',
  direction: 'DESC',
  keys: [{ expr: 'me.epoch', type: 'numeric', of: (r) => r.epoch }],
};

builder.objectFields(EpochRef, (t) => ({
  accounts: t.field({
    type: EpochPayoutConnection,
    description:
      "The epoch's payout table: every account that accrued or claimed in it, largest total first (ties by address).",
    args: pageArgs,
    resolve: (e, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery(PAYOUT_SELECT, PAYOUT_FROM, PAYOUTS_BY_TOTAL, (k) => `ae.epoch = ${k}::numeric`),
        e.epoch,
        args,
      ),
  }),
  datanets: t.field({
    type: DatanetEpochConnection,
    description: 'What each Datanet earned in the epoch, by datanetId.',
    args: pageArgs,
    resolve: (e, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery('de.*', 'datanet_epoch de', DATANET_EPOCHS_BY_DATANET, (k) => `de.epoch = ${k}::numeric`),
        e.epoch,
        args,
      ),
  }),
  models: t.field({
    type: ModelEpochConnection,
    description: 'What each model settled and paid in the epoch, by modelId.',
    args: pageArgs,
    resolve: (e, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery('me.*', 'model_epoch me', MODEL_EPOCHS_BY_MODEL, (k) => `me.epoch = ${k}::numeric`),
        e.epoch,
        args,
      ),
  }),
}));

builder.objectFields(DatanetRef, (t) => ({
  epochs: t.field({
    type: DatanetEpochConnection,
    description: 'What it earned in each epoch, latest epoch first.',
    args: pageArgs,
    resolve: (d, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery('de.*', 'datanet_epoch de', DATANET_EPOCHS_BY_EPOCH, (k) => `de.datanet_id = ${k}`),
        d.id,
        args,
      ),
  }),
}));

builder.objectFields(ModelRef, (t) => ({
  epochs: t.field({
    type: ModelEpochConnection,
    description: 'Its inferences, fees and payouts in each epoch, latest epoch first.',
    args: pageArgs,
    resolve: (m, args, ctx) =>
      findChildPage(
        ctx,
        childPageQuery('me.*', 'model_epoch me', MODEL_EPOCHS_BY_EPOCH, (k) => `me.model_id = ${k}`),
        m.id,
        args,
      ),
  }),
}));

builder.objectFields(ContributorRef, (t) => ({
  payouts: t.field({
    type: EpochPayoutConnection,
    description:
      'What it accrued and claimed in each epoch (every role), latest epoch first; with `asOfBlock`, as of the end of that block (only epochs it had a payment or claim in by then, closed as of then).',
    args: {
      ...pageArgs,
      epoch: t.arg({ type: 'BigInt', required: false, description: 'Only this epoch.' }),
      asOfBlock: t.arg.int({
        required: false,
        description: 'A block at or below the indexed head (_meta.indexedHeight): the rows as they were at its end.',
      }),
    },
    resolve: async (a, args, ctx) => {
      const asOf = await parseAsOfBlock(ctx, 'asOfBlock', args.asOfBlock);
      const where = new Where();
      if (args.epoch != null) where.and(`ae.epoch = ${where.param(parseDecimal('epoch', String(args.epoch)))}`);
      if (asOf !== undefined) {
        const keys = `(SELECT ${where.param(a.id)}::text AS account, ${where.param(asOf)}::int AS block) k`;
        const from = `(${epochPayoutsAsOfSql(keys)}) ae`;
        return findPage(ctx.db, { select: 'ae.*', from, where, keyset: PAYOUTS_BY_EPOCH }, args);
      }
      return findChildPage(ctx, accountPayoutsQuery(where), a.id, args);
    },
  }),
  claimed: t.field({
    type: 'BigInt',
    description: 'Claimed from the reward vault over all epochs, from its per-epoch rows (wei).',
    resolve: async (a, _, ctx) => (await payoutTotals(ctx).load(a.id)).claimed,
  }),
  claimable: t.field({
    type: 'BigInt',
    description: 'Accrued in closed epochs and not claimed yet: the sum of max(0, total - claimed) per epoch (wei).',
    resolve: async (a, _, ctx) => (await payoutTotals(ctx).load(a.id)).claimable,
  }),
  pending: t.field({
    type: 'BigInt',
    description: 'Accrued in epochs still open, claimable once they close (wei).',
    resolve: async (a, _, ctx) => (await payoutTotals(ctx).load(a.id)).pending,
  }),
}));

/** A claim proof as served. */
interface ClaimProofRow {
  epoch: string;
  account: string;
  amount: bigint;
  proof: string[];
  root: string;
  leafIndex: number;
  claimed: boolean;
}

const ClaimProofRef = builder.objectRef<ClaimProofRow>('ClaimProof').implement({
  description:
    "An account's leaf of a closed epoch's Merkle tree and its proof, to build the reward vault's claim transaction.",
  fields: (t) => ({
    epoch: t.expose('epoch', { type: 'BigInt', description: 'The epoch number.' }),
    account: t.exposeString('account', { description: 'The account (lowercase address).' }),
    amount: t.expose('amount', { type: 'BigInt', description: 'The leaf amount: what the account can claim (wei).' }),
    proof: t.exposeStringList('proof', {
      description: 'Sibling hashes (0x + 64 hex) from the leaf up to the root (StandardMerkleTree order).',
    }),
    root: t.exposeString('root', {
      description:
        "Root of the tree the proof is for: the epoch's recomputedRoot (the proof holds on chain when the epoch is reconciled).",
    }),
    leafIndex: t.exposeInt('leafIndex', {
      description: "Position of the leaf among the tree's leaves, in the tree's (leaf hash) order, 0-based.",
    }),
    claimed: t.exposeBoolean('claimed', { description: 'True when the account already claimed this epoch.' }),
  }),
});

/** The epoch's accruals (positive totals only: the only rows that can be leaves). */
async function loadEpochAccruals(db: ApiDb, epoch: string): Promise<{ account: string; amount: bigint }[]> {
  return db.query(
    'SELECT account, total::text AS total FROM account_epoch WHERE epoch = $1 AND total > 0',
    [epoch],
    (r) => ({ account: r.account as string, amount: BigInt(r.total as string) }),
  );
}

builder.queryFields((t) => ({
  claimProof: t.field({
    type: ClaimProofRef,
    nullable: true,
    description:
      "An account's Merkle leaf and proof for a closed epoch, computed from the indexed accruals (null when the account has no positive leaf in the epoch).",
    args: {
      epoch: t.arg({ type: 'BigInt', required: true, description: 'A closed epoch.' }),
      account: t.arg.string({ required: true, description: 'The account (any case).' }),
    },
    resolve: async (_, args, ctx) => {
      const account = parseAddress('account', args.account);
      const number = parseDecimal('epoch', String(args.epoch));
      const epoch = await ctx.db.one<EpochRow>('SELECT * FROM epoch WHERE epoch = $1', [number]);
      if (!epoch) throw badUserInput('epoch', `is not a known epoch: nothing has settled into epoch ${number}.`);
      if (!epoch.closed) {
        throw badUserInput(
          'epoch',
          `is open: epoch ${number} has not closed, so it has no Merkle root to prove against.`,
        );
      }
      const leaf = await ctx.db.one<{ total: string; claimCount: number }>(
        'SELECT total::text AS total, claim_count FROM account_epoch WHERE epoch = $1 AND account = $2',
        [number, account],
      );
      if (!leaf || BigInt(leaf.total) <= 0n) return null;
      if (epoch.recomputedRoot == null) throw new Error(`epoch ${number} is closed without a recomputed root`);
      const tree = await epochTrees.get(number, epoch.recomputedRoot, () => loadEpochAccruals(ctx.db, number));
      const proof = tree.prove(account);
      if (!proof) throw new Error(`epoch ${number}: ${account} has a leaf row but is not in the tree`);
      return {
        epoch: number,
        account,
        amount: proof.amount,
        proof: proof.proof,
        root: tree.root,
        leafIndex: proof.leafIndex,
        claimed: leaf.claimCount > 0,
      };
    },
  }),
}));
