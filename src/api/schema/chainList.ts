// Chain-ordered event lists: a connection, an `orderBy: { field: CHAIN, direction }` and page queries.
import type { ObjectRef } from '@pothos/core';
import { builder, type ApiSchemaTypes } from '../builder';
import { findChildPage } from '../childPages';
import type { ApiContext } from '../context';
import { findPage, Where, type KeyColumn, type PageArgs } from '../pagination';
import { defineOrder } from './order';

/**
 * Chain position ids (block(10)-logIndex(6), zero padded) sort in chain order. They are compared in
 * the database's collation, not COLLATE "C", so the primary key and (column, id) indexes serve the
 * order: fixed-width digit strings with the dash at a fixed place sort the same in every collation.
 */
export function positionKey<Row extends { id: string }>(alias: string): KeyColumn<Row> {
  return { expr: `${alias}.id`, type: 'text', of: (r) => r.id };
}

/** A chain-ordered list type: connection, `{field: CHAIN, direction}` order, and its page query. */
export function chainList<Row extends { id: string }>(
  ref: ObjectRef<PothosSchemaTypes.ExtendDefaultTypes<ApiSchemaTypes>, Row>,
  list: string,
  description: string,
  table: string,
) {
  const alias = 't';
  const name = ref.name;
  const connection = builder.connectionObject(
    { type: ref, name: `${name}Connection`, description: `A page of ${list}.` },
    { name: `${name}Edge`, description: `${description} and its cursor.` },
  );
  const order = defineOrder<Row, 'CHAIN'>(
    name,
    list,
    { CHAIN: { description: 'Chain position (block, log index).', keys: [positionKey<Row>(alias)] } },
    { field: 'CHAIN', direction: 'ASC' },
  );
  const find = (
    ctx: ApiContext,
    where: Where,
    args: PageArgs & { orderBy?: { field: 'CHAIN'; direction?: 'ASC' | 'DESC' | null } | null },
  ) =>
    findPage<Row>(
      ctx.db,
      { select: `${alias}.*`, from: `${table} ${alias}`, where, keyset: order.keysetOf(args.orderBy) },
      args,
    );
  /** One page below a parent row (batched across parents, see findChildPage). */
  const findChild = (
    ctx: ApiContext,
    parent: (key: string) => string,
    parentKey: string,
    args: PageArgs & { orderBy?: { field: 'CHAIN'; direction?: 'ASC' | 'DESC' | null } | null },
  ) =>
    findChildPage<Row>(
      ctx,
      {
        select: `${alias}.*`,
        from: `${table} ${alias}`,
        where: new Where(),
        keyset: order.keysetOf(args.orderBy),
        parent,
      },
      parentKey,
      args,
    );
  return { connection, order, find, findChild };
}
