/** Datanet and contribution rules (PROTOCOL.md section 1). Pure. */

export type DatanetStatusName = 'ACTIVE' | 'PAUSED' | 'CLOSED';
export type ContributionStatusName = 'PENDING' | 'ACCEPTED' | 'REJECTED';

const DATANET_STATUS: readonly DatanetStatusName[] = ['ACTIVE', 'PAUSED', 'CLOSED'];

/** Maps DatanetStatusChanged.status (0 Active, 1 Paused, 2 Closed); null for any other code. */
export function datanetStatusFromCode(code: number): DatanetStatusName | null {
  return DATANET_STATUS[code] ?? null;
}

/** A contribution's status after a review: the latest review decides. */
export function statusAfterReview(accepted: boolean): ContributionStatusName {
  return accepted ? 'ACCEPTED' : 'REJECTED';
}

/** Key of the duplicate index: same dataHash submitted to the same Datanet. */
export function dataHashKey(datanetId: bigint | string, dataHash: string): string {
  return `${datanetId}-${dataHash.toLowerCase()}`;
}

/** Counter deltas when a contribution moves from one status to another. */
export function statusCountDeltas(
  from: ContributionStatusName | null,
  to: ContributionStatusName,
): Record<ContributionStatusName, number> {
  const d: Record<ContributionStatusName, number> = { PENDING: 0, ACCEPTED: 0, REJECTED: 0 };
  if (from) d[from] -= 1;
  d[to] += 1;
  return d;
}
