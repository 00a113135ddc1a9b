// Bridge rows of the API test seed: 30 transfers of every kind and the per-account totals they imply.
import { BridgeAccountToken, BridgeAsset, BridgeDirection, BridgeTransfer } from '../model';
import { ADDR, addr, at, hash } from './test-values';

/** Builds 30 transfers (3 per block, native deposits without log index, one amount above 2^64) and their totals. */
export function bridgeRows(): { transfers: BridgeTransfer[]; bridgeTotals: BridgeAccountToken[] } {
  const transfers: BridgeTransfer[] = [];
  for (let i = 0; i < 30; i++) {
    const direction = i % 3 === 0 ? BridgeDirection.IN : BridgeDirection.OUT;
    const asset = i % 2 === 0 ? BridgeAsset.NATIVE : BridgeAsset.ERC20;
    const nativeDeposit = direction === BridgeDirection.IN && asset === BridgeAsset.NATIVE;
    const logIndex = nativeDeposit ? null : (i * 7) % 5;
    const txHash = hash(0xb000 + i);
    const from = ADDR.bridgers[i % 4];
    transfers.push(
      new BridgeTransfer({
        id: nativeDeposit ? txHash : `${txHash}-${logIndex}`,
        direction,
        asset,
        from,
        to: direction === BridgeDirection.IN ? from : ADDR.bridgers[(i + 1) % 4],
        l2Token: asset === BridgeAsset.NATIVE ? ADDR.zero : ADDR.token,
        l1Token: asset === BridgeAsset.NATIVE ? ADDR.zero : addr('11e20'),
        amount: i === 4 ? 2n ** 64n + 1n : 10n ** 18n * BigInt(i + 1),
        withdrawalHash:
          direction === BridgeDirection.OUT ? hash(`${'fe'.repeat(30)}${(0x1000 + i).toString(16)}`) : null,
        messageNonce: direction === BridgeDirection.OUT ? (1n << 240n) + BigInt(i) : null,
        sourceHash: nativeDeposit ? hash(0x5000 + i) : null,
        blockNumber: 200 + Math.floor(i / 3),
        timestamp: at(200 + Math.floor(i / 3)),
        txHash,
        logIndex,
      }),
    );
  }
  const totals = new Map<string, BridgeAccountToken>();
  for (const t of transfers) {
    const account = t.direction === BridgeDirection.IN ? t.to : t.from;
    const id = `${account}-${t.l2Token}`;
    const row =
      totals.get(id) ??
      new BridgeAccountToken({
        id,
        account,
        token: t.l2Token,
        depositedAmount: 0n,
        depositCount: 0,
        withdrawnAmount: 0n,
        withdrawalCount: 0,
      });
    if (t.direction === BridgeDirection.IN) {
      row.depositedAmount += t.amount;
      row.depositCount++;
    } else {
      row.withdrawnAmount += t.amount;
      row.withdrawalCount++;
    }
    totals.set(id, row);
  }
  const bridgeTotals = [...totals.values()];
  return { transfers, bridgeTotals };
}
