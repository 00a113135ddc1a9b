// `orderBy: { field, direction }` for every ordered list, mapped onto keysets (src/api/pagination.ts).
import { builder } from '../builder';
import type { KeyColumn, Keyset } from '../pagination';

/** GraphQL enum of a sort direction. */
export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Sort direction.',
  values: {
    ASC: { description: 'Ascending (smallest, oldest first).' },
    DESC: { description: 'Descending (largest, newest first).' },
  } as const,
});

/** One orderable field: its description and its key columns, the last of which makes rows unique. */
export interface OrderField<Row> {
  description: string;
  keys: KeyColumn<Row>[];
}

/**
 * Defines `<Name>OrderField` (enum) and `<Name>Order` (input `{ field, direction }`) for a list and
 * returns the input type and a function from an `orderBy` argument to its keyset. Every column of
 * a field's key runs in the requested direction (ties are broken by the last, unique column in the
 * same direction), so one btree index on the key columns serves both directions.
 */
export function defineOrder<Row, F extends string>(
  name: string,
  list: string,
  fields: Record<F, OrderField<Row>>,
  defaults: { field: F; direction: 'ASC' | 'DESC' },
) {
  const fieldEnum = builder.enumType(`${name}OrderField`, {
    description: `Fields the ${list} can be ordered by.`,
    values: Object.fromEntries(
      Object.entries<OrderField<Row>>(fields).map(([key, f]) => [key, { description: f.description }]),
    ) as Record<F, { description: string }>,
  });
  const input = builder.inputType(`${name}Order`, {
    description: `Order of the ${list} (default ${defaults.field} ${defaults.direction}).`,
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true, description: 'What to order by.' }),
      direction: t.field({
        type: OrderDirectionEnum,
        required: false,
        description: 'Direction (default ASC).',
      }),
    }),
  });
  const keysets = new Map<string, Keyset<Row>>();
  const keysetOf = (orderBy: { field: F; direction?: 'ASC' | 'DESC' | null } | null | undefined): Keyset<Row> => {
    const field = (orderBy?.field ?? defaults.field) as F;
    const direction = orderBy ? (orderBy.direction ?? 'ASC') : defaults.direction;
    const id = `${list}:${field}:${direction}`;
    let keyset = keysets.get(id);
    if (!keyset) {
      keyset = { name: id, direction, keys: fields[field].keys };
      keysets.set(id, keyset);
    }
    return keyset;
  };
  return { input, keysetOf };
}
