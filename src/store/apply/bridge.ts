import type { TransferDraft } from '../../domain/bridge';
import { BridgeAccountToken, BridgeAsset, BridgeDirection, BridgeTokenTotal, BridgeTransfer } from '../../model';
import type { BatchState } from '../state';

/** Where a transfer sits: its transaction and block. */
export interface TransferLocation {
  blockNumber: number;
  timestamp: number;
  txHash: string;
}

/** The id of a BridgeAccountToken row. */
export function bridgeTokenId(account: string, token: string): string {
  return `${account}-${token}`;
}

/** Records one bridge transfer and adds it to its account's per-token totals. */
export function applyBridgeTransfer(
  s: BatchState,
  t: TransferDraft,
  loc: TransferLocation,
  sourceHash: string | null = null,
): void {
  s.transfers.add(
    new BridgeTransfer({
      id: t.logIndex >= 0 ? `${loc.txHash}-${t.logIndex}` : loc.txHash,
      direction: BridgeDirection[t.direction],
      asset: BridgeAsset[t.asset],
      from: t.from,
      to: t.to,
      l1Token: t.l1Token,
      l2Token: t.l2Token,
      amount: t.amount,
      withdrawalHash: t.withdrawalHash,
      messageNonce: t.messageNonce,
      sourceHash,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: t.logIndex >= 0 ? t.logIndex : null,
    }),
  );
  const id = bridgeTokenId(t.account, t.l2Token);
  const row =
    s.bridgeTokens.get(id) ??
    s.bridgeTokens.put(
      new BridgeAccountToken({
        id,
        account: t.account,
        token: t.l2Token,
        depositedAmount: 0n,
        depositCount: 0,
        withdrawnAmount: 0n,
        withdrawalCount: 0,
      }),
    );
  if (t.direction === 'IN') {
    row.depositedAmount += t.amount;
    row.depositCount++;
  } else {
    row.withdrawnAmount += t.amount;
    row.withdrawalCount++;
  }
  s.bridgeTokens.touch(row);
  const total =
    s.bridgeTokenTotals.get(t.l2Token) ??
    s.bridgeTokenTotals.put(
      new BridgeTokenTotal({
        id: t.l2Token,
        depositCount: 0,
        depositedAmount: 0n,
        withdrawalCount: 0,
        withdrawnAmount: 0n,
      }),
    );
  const p = s.protocol;
  if (t.direction === 'IN') {
    total.depositCount++;
    total.depositedAmount += t.amount;
    p.bridgeDepositCount++;
  } else {
    total.withdrawalCount++;
    total.withdrawnAmount += t.amount;
    p.bridgeWithdrawalCount++;
  }
  s.bridgeTokenTotals.touch(total);
  s.protocolTable.touch(p);
  s.stats.bridged(loc.timestamp, t.direction, t.l2Token, t.amount);
}
