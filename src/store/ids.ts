/** Ids of the rows the batch builds from chain positions, epochs and keys (see BatchState). */

/** The id of the single ProtocolState row. */
export const GLOBAL_ID = 'global';

/** Zero-padded chain position, so ids sort in chain order. */
export function positionId(blockNumber: number, logIndex: number): string {
  return `${String(blockNumber).padStart(10, '0')}-${String(logIndex).padStart(6, '0')}`;
}

/**
 * Memoizes an id built from an epoch and a string: the same pair gives the same string instance, whose
 * hash V8 computes once, so the batch's Map lookups by these ids (several per attribution) neither
 * build, flatten nor hash a new string. Forgets everything past `limit` pairs (bounded memory).
 */
export function epochIds<K extends bigint | string>(
  format: (epoch: K, key: string) => string,
  limit = 500_000,
): (epoch: K, key: string) => string {
  const byEpoch = new Map<K, Map<string, string>>();
  let size = 0;
  // Consecutive calls mostly share the epoch (a batch's attributions): skip its lookup then.
  let lastEpoch: K | undefined;
  let lastIds = new Map<string, string>();
  return (epoch, key) => {
    let ids = lastIds;
    if (epoch !== lastEpoch) {
      ids = byEpoch.get(epoch)!;
      if (!ids) byEpoch.set(epoch, (ids = new Map()));
      lastEpoch = epoch;
      lastIds = ids;
    }
    let id = ids.get(key);
    if (id === undefined) {
      if (++size > limit) {
        byEpoch.clear();
        byEpoch.set(epoch, (ids = lastIds = new Map()));
        size = 1;
      }
      id = format(epoch, key);
      ids.set(key, id);
    }
    return id;
  };
}

const accountEpochIds = epochIds((epoch, account) => `${epoch}-${account}`);
const datanetEpochIds = epochIds((epoch, datanetId) => `${datanetId}-${epoch}`);
const modelEpochIds = epochIds((epoch, modelId) => `${modelId}-${epoch}`);
const datanetAccountIds = epochIds((datanetId: string, account) => `${datanetId}-${account}`);

/** The id of an AccountEpoch row. */
export function accountEpochId(epoch: bigint, account: string): string {
  return accountEpochIds(epoch, account);
}

/** The id of a DatanetEpoch row. */
export function datanetEpochId(datanetId: string, epoch: bigint): string {
  return datanetEpochIds(epoch, datanetId);
}

/** The id of a ModelEpoch row. */
export function modelEpochId(modelId: string, epoch: bigint): string {
  return modelEpochIds(epoch, modelId);
}

/** The id of a DatanetAccount row. */
export function datanetAccountId(datanetId: string, account: string): string {
  return datanetAccountIds(datanetId, account);
}

/** The id of a ReputationChange row: account, then the zero-padded block (ids sort by block per account). */
export function reputationChangeId(account: string, blockNumber: number): string {
  return `${account}-${String(blockNumber).padStart(10, '0')}`;
}
