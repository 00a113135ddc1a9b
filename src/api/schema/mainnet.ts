// The known mainnet contracts' events (CreditManager, DatanetFactory) and the indexer's anomalies.
import { builder } from '../builder';
import { badUserInput } from '../errors';
import { Where } from '../pagination';
import { parseAddress, parseBlock } from '../validate';
import { chainList } from './chainList';
import { pageArgs } from './common';

/** Table `credit_purchase`. */
interface CreditPurchaseRow {
  id: string;
  user: string;
  amountPaid: string;
  creditAmount: string;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

/** Table `datanet_creation_fee`. */
interface CreationFeeRow {
  id: string;
  transactionId: string;
  user: string;
  amount: string;
  blockNumber: number;
  timestamp: Date;
  txHash: string;
  logIndex: number;
}

/** Table `anomaly`. */
interface AnomalyRow {
  id: string;
  kind: string;
  reason: string;
  contract: string | null;
  blockNumber: number;
  txHash: string | null;
  logIndex: number | null;
  timestamp: Date;
}

const CreditPurchaseRef = builder.objectRef<CreditPurchaseRow>('CreditPurchase');
CreditPurchaseRef.implement({
  description: 'CreditManager.CreditPurchased: inference credits bought.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6), zero padded.' }),
    user: t.exposeString('user', { description: 'Buyer (lowercase).' }),
    amountPaid: t.expose('amountPaid', { type: 'BigInt', description: 'OPEN paid (wei).' }),
    creditAmount: t.expose('creditAmount', { type: 'BigInt', description: 'Credits received.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the event.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of the event.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of the event.' }),
  }),
});
const creditPurchases = chainList<CreditPurchaseRow>(
  CreditPurchaseRef,
  'credit purchases',
  'A purchase',
  'credit_purchase',
);

const CreationFeeRef = builder.objectRef<CreationFeeRow>('DatanetCreationFee');
CreationFeeRef.implement({
  description: 'DatanetFactory.TransactionInitiated: a Datanet creation fee paid.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'block(10)-logIndex(6), zero padded.' }),
    transactionId: t.exposeString('transactionId', { description: 'The factory transaction id.' }),
    user: t.exposeString('user', { description: 'Payer (lowercase).' }),
    amount: t.expose('amount', { type: 'BigInt', description: 'Fee paid (wei).' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block of the event.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of that block.' }),
    txHash: t.exposeString('txHash', { description: 'Transaction of the event.' }),
    logIndex: t.exposeInt('logIndex', { description: 'Log index of the event.' }),
  }),
});
const creationFees = chainList<CreationFeeRow>(
  CreationFeeRef,
  'Datanet creation fees',
  'A fee',
  'datanet_creation_fee',
);

const AnomalyRef = builder.objectRef<AnomalyRow>('Anomaly');
AnomalyRef.implement({
  description: 'Chain data that broke an expectation, recorded instead of crashing (kind, reason, location).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Position-based id (block, log index, sequence).' }),
    kind: t.exposeString('kind', {
      description: 'Machine-readable kind, e.g. UNKNOWN_CONTRIBUTION, CLAIM_AMOUNT_MISMATCH.',
    }),
    reason: t.exposeString('reason', { description: 'What was wrong, in words.' }),
    contract: t.exposeString('contract', { nullable: true, description: 'Emitting contract, when a log.' }),
    blockNumber: t.exposeInt('blockNumber', { description: 'Block.' }),
    txHash: t.exposeString('txHash', { nullable: true, description: 'Transaction, when known.' }),
    logIndex: t.exposeInt('logIndex', { nullable: true, description: 'Log index, when a log.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'Timestamp of the block.' }),
  }),
});
const anomalies = chainList<AnomalyRow>(AnomalyRef, 'anomalies', 'An anomaly', 'anomaly');

const UserWhere = builder.inputType('UserWhere', {
  description: 'Filter by the paying user.',
  fields: (t) => ({ user: t.string({ required: false, description: 'Only this user (any case).' }) }),
});
const AnomalyWhere = builder.inputType('AnomalyWhere', {
  description: 'Filters of the `anomalies` list (all given ones must hold).',
  fields: (t) => ({
    kind: t.string({ required: false, description: 'Only this kind (e.g. UNKNOWN_CONTRIBUTION).' }),
    fromBlock: t.int({ required: false, description: 'Only at or after this block.' }),
  }),
});

builder.queryFields((t) => ({
  creditPurchases: t.field({
    type: creditPurchases.connection,
    description: 'CreditManager.CreditPurchased events in chain order.',
    args: {
      ...pageArgs,
      where: t.arg({ type: UserWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: creditPurchases.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.user != null) where.and(`t."user" = ${where.param(parseAddress('where.user', args.where.user))}`);
      return creditPurchases.find(ctx, where, args);
    },
  }),
  datanetCreationFees: t.field({
    type: creationFees.connection,
    description: 'DatanetFactory.TransactionInitiated events in chain order.',
    args: {
      ...pageArgs,
      where: t.arg({ type: UserWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: creationFees.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.user != null) where.and(`t."user" = ${where.param(parseAddress('where.user', args.where.user))}`);
      return creationFees.find(ctx, where, args);
    },
  }),
  anomalies: t.field({
    type: anomalies.connection,
    description: 'What the indexer recorded instead of crashing, in chain order.',
    args: {
      ...pageArgs,
      where: t.arg({ type: AnomalyWhere, required: false, description: 'Filters.' }),
      orderBy: t.arg({ type: anomalies.order.input, required: false, description: 'Order (default CHAIN ASC).' }),
    },
    resolve: (_, args, ctx) => {
      const where = new Where();
      if (args.where?.kind != null) {
        if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(args.where.kind)) {
          throw badUserInput(
            'where.kind',
            `must be an anomaly kind such as UNKNOWN_CONTRIBUTION, got "${args.where.kind.slice(0, 80)}".`,
          );
        }
        where.and(`t.kind = ${where.param(args.where.kind)}`);
      }
      const from = parseBlock('where.fromBlock', args.where?.fromBlock);
      if (from != null) where.and(`t.block_number >= ${where.param(from)}`);
      return anomalies.find(ctx, where, args);
    },
  }),
}));
