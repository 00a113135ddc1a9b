import { builder } from '../builder';
import { childPageQuery, findChildPage } from '../childPages';
import { findPage, Where, type Keyset, type PageQuery } from '../pagination';
import type { BridgeAccountTokenRow, BridgeAsset, BridgeDirection, BridgeTransferRow } from '../rows';
import { parseAddress, parseHash32 } from '../validate';
import { pageArgs } from './common';
import { defineOrder } from './order';
import { BridgeTokenTotalsRef, BridgeTransferRef } from './refs';

const BridgeDirectionEnum = builder.enumType('BridgeDirection', {
  description: 'Which way a bridge transfer goes.',
  values: {
    IN: { description: 'L1 to L2 (deposit).' },
    OUT: { description: 'L2 to L1 (withdrawal).' },
  } as const,
});

const BridgeAssetEnum = builder.enumType('BridgeAsset', {
  description: 'What a bridge transfer moves.',
  values: {
    NATIVE: { description: 'Native OPEN (the gas token).' },
    ERC20: { description: 'An ERC20 through the standard bridge.' },
  } as const,
});

BridgeTransferRef.implement({
  description: 'One OP Stack bridge transfer (one row per transfer, however many logs it emitted).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'txHash-logIndex of the defining log (txHash for native deposits).' }),
    direction: t.field({ type: BridgeDirectionEnum, description: 'IN or OUT.', resolve: (b) => b.direction }),
    asset: t.field({ type: BridgeAssetEnum, description: 'NATIVE or ERC20.', resolve: (b) => b.asset }),
    from: t.exposeString('from', { description: 'Sender on the source side (L1 for IN, L2 for OUT), lowercase.' }),
    to: t.exposeString('to', { description: 'Recipient (lowercase).' }),
    l2Token: t.exposeString('l2Token', { description: 'L2 token (zero address for native OPEN).' }),
    l1Token: t.exposeString('l1Token', { description: 'L1 token (zero address for native OPEN when unknown).' }),
    amount: t.expose('amount', { type: 'BigInt', description: 'Amount in the token base unit.' }),
    withdrawalHash: t.exposeString('withdrawalHash', {
      nullable: true,
      description: 'OUT only: the withdrawal hash of its MessagePassed (what L1 proves and finalizes).',
    }),
    messageNonce: t.expose('messageNonce', { type: 'BigInt', nullable: true, description: 'OUT only: message nonce.' }),
    sourceHash: t.exposeString('sourceHash', {
      nullable: true,
      description: "IN native only: the deposit's sourceHash.",
    }),
    blockNumber: t.exposeInt('blockNumber', { description: 'L2 block.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'L2 transaction.' }),
    logIndex: t.exposeInt('logIndex', {
      nullable: true,
      description: 'Log index of the defining log (null for native deposits).',
    }),
  }),
});

BridgeTokenTotalsRef.implement({
  description: "An account's bridge totals for one token.",
  fields: (t) => ({
    token: t.exposeString('token', { description: 'L2 token (zero address for native OPEN).' }),
    depositedAmount: t.expose('depositedAmount', { type: 'BigInt', description: 'Total bridged in (base units).' }),
    depositCount: t.exposeInt('depositCount', { description: 'Deposits.' }),
    withdrawnAmount: t.expose('withdrawnAmount', { type: 'BigInt', description: 'Total bridged out (base units).' }),
    withdrawalCount: t.exposeInt('withdrawalCount', { description: 'Withdrawals.' }),
  }),
});

const BridgeTransferConnection = builder.connectionObject(
  { type: BridgeTransferRef, name: 'BridgeTransferConnection', description: 'A page of bridge transfers.' },
  { name: 'BridgeTransferEdge', description: 'A bridge transfer and its cursor.' },
);

const BridgeTokenTotalsConnection = builder.connectionObject(
  { type: BridgeTokenTotalsRef, name: 'BridgeTokenTotalsConnection', description: 'A page of per-token totals.' },
  { name: 'BridgeTokenTotalsEdge', description: 'Per-token totals and their cursor.' },
);

const BridgeTransferOrder = defineOrder<BridgeTransferRow, 'CHAIN'>(
  'BridgeTransfer',
  'bridge transfers',
  {
    CHAIN: {
      description: 'Chain order: block, log index (-1 for a deposit transaction), id.',
      keys: [
        { expr: 'b.block_number', type: 'int', of: (b) => b.blockNumber },
        { expr: 'coalesce(b.log_index, -1)', type: 'int', of: (b) => b.logIndex ?? -1 },
        { expr: 'b.id COLLATE "C"', type: 'text', of: (b) => b.id },
      ],
    },
  },
  { field: 'CHAIN', direction: 'ASC' },
);

const TOKEN_KEYSET: Keyset<BridgeAccountTokenRow> = {
  name: 'bridge-token:token',
  direction: 'ASC',
  keys: [{ expr: 't.token COLLATE "C"', type: 'text', of: (r) => r.token }],
};

/** Bridge transfer filters, already validated (lowercase). */
interface TransferFilter {
  account?: string;
  direction?: BridgeDirection;
  asset?: BridgeAsset;
  withdrawalHash?: string;
}

/** A transfer's sender or recipient is the account (`key`: the SQL text of the address). */
const sentOrReceivedBy = (key: string) => `(b."from" = ${key} OR b."to" = ${key})`;

function transferPageQuery(filter: TransferFilter, order: Keyset<BridgeTransferRow>): PageQuery<BridgeTransferRow> {
  const where = new Where();
  if (filter.account != null) where.and(sentOrReceivedBy(where.param(filter.account)));
  if (filter.direction != null) where.and(`b.direction = ${where.param(filter.direction)}`);
  if (filter.asset != null) where.and(`b.asset = ${where.param(filter.asset)}`);
  if (filter.withdrawalHash != null) where.and(`b.withdrawal_hash = ${where.param(filter.withdrawalHash)}`);
  return { select: 'b.*', from: 'bridge_transfer b', where, keyset: order };
}

/** GraphQL `BridgeAccount`: an address's bridge activity. */
const BridgeAccountRef = builder.objectRef<{ address: string }>('BridgeAccount').implement({
  description: "An address's bridge activity: per-token totals and its transfers.",
  fields: (t) => ({
    address: t.exposeString('address', { description: 'The address (lowercase).' }),
    tokens: t.field({
      type: BridgeTokenTotalsConnection,
      description: 'Totals per token, by token address.',
      args: pageArgs,
      resolve: ({ address }, args, ctx) =>
        findChildPage(
          ctx,
          childPageQuery('t.*', 'bridge_account_token t', TOKEN_KEYSET, (k) => `t.account = ${k}`),
          address,
          args,
        ),
    }),
    transfers: t.field({
      type: BridgeTransferConnection,
      description: 'Transfers it sent or received.',
      args: {
        ...pageArgs,
        orderBy: t.arg({ type: BridgeTransferOrder.input, required: false, description: 'Order (default CHAIN ASC).' }),
      },
      resolve: ({ address }, args, ctx) =>
        findChildPage(
          ctx,
          { ...transferPageQuery({}, BridgeTransferOrder.keysetOf(args.orderBy)), parent: sentOrReceivedBy },
          address,
          args,
        ),
    }),
  }),
});

const BridgeTransferWhere = builder.inputType('BridgeTransferWhere', {
  description: 'Filters of the `bridgeTransfers` list (all given ones must hold).',
  fields: (t) => ({
    account: t.string({ required: false, description: 'Sender or recipient address (any case).' }),
    direction: t.field({ type: BridgeDirectionEnum, required: false, description: 'IN or OUT.' }),
    asset: t.field({ type: BridgeAssetEnum, required: false, description: 'NATIVE or ERC20.' }),
    withdrawalHash: t.string({ required: false, description: 'Withdrawal hash (0x + 64 hex, any case).' }),
  }),
});

builder.queryFields((t) => ({
  bridgeTransfers: t.field({
    type: BridgeTransferConnection,
    description: 'Bridge transfers in chain order, filtered.',
    args: {
      ...pageArgs,
      where: t.arg({ type: BridgeTransferWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: BridgeTransferOrder.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const w = args.where;
      const filter: TransferFilter = {
        account: w?.account != null ? parseAddress('where.account', w.account) : undefined,
        direction: w?.direction ?? undefined,
        asset: w?.asset ?? undefined,
        withdrawalHash: w?.withdrawalHash != null ? parseHash32('where.withdrawalHash', w.withdrawalHash) : undefined,
      };
      return findPage(ctx.db, transferPageQuery(filter, BridgeTransferOrder.keysetOf(args.orderBy)), args);
    },
  }),
  bridgeAccount: t.field({
    type: BridgeAccountRef,
    nullable: true,
    description: 'One address as a bridge user; null when it never bridged.',
    args: { address: t.arg.string({ required: true, description: 'The address (any case).' }) },
    resolve: async (_, args, ctx) => {
      const address = parseAddress('address', args.address);
      const seen = await ctx.db.one('SELECT 1 FROM bridge_account_token WHERE account = $1 LIMIT 1', [address]);
      return seen ? { address } : null;
    },
  }),
}));
