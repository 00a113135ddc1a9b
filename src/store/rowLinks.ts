import type {
  Account,
  AccountEpoch,
  Contribution,
  Datanet,
  DatanetAccount,
  DatanetEpoch,
  Model,
  ModelEpoch,
} from '../model';

/**
 * Remembers, on the object a row belongs to (an account, a Datanet, a model, a contribution), which row
 * of a keyed table it last used, and for which key: the fold asks for the same (owner, epoch) row many
 * times in a row, and a property read costs far less than building an id and looking it up in a table
 * of hundreds of thousands of rows. Only valid for tables that never drop rows during a BatchState's
 * life (the per-epoch and per-Datanet tables), whose owners are rows of the same BatchState. The link
 * is non-enumerable, so copies of the owner do not carry it.
 */
function rowLinks<O extends object, K, R>() {
  const LINK = Symbol('rowLink');
  type Linked = { [LINK]?: { key: K; row: R } };
  return {
    get(owner: O, key: K): R | undefined {
      const link = (owner as Linked)[LINK];
      return link !== undefined && link.key === key ? link.row : undefined;
    },
    set(owner: O, key: K, row: R): R {
      const link = (owner as Linked)[LINK];
      if (link) {
        link.key = key;
        link.row = row;
      } else {
        Object.defineProperty(owner, LINK, { value: { key, row }, writable: true, enumerable: false });
      }
      return row;
    },
  };
}

export const accountEpochLinks = rowLinks<Account, bigint, AccountEpoch>();
export const datanetEpochLinks = rowLinks<Datanet, bigint, DatanetEpoch>();
export const modelEpochLinks = rowLinks<Model, bigint, ModelEpoch>();
export const datanetAccountLinks = rowLinks<Contribution, true, DatanetAccount>();
