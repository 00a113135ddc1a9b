import type { CreditPurchased, TransactionInitiated } from '../../decode/events';
import { CreditPurchase, DatanetCreationFee } from '../../model';
import { positionId } from '../ids';
import type { BatchState } from '../state';

/** CreditManager.CreditPurchased: a user bought inference credits. */
export function applyCreditPurchased(s: BatchState, { args, loc }: CreditPurchased): void {
  s.creditPurchases.add(
    new CreditPurchase({
      id: positionId(loc.blockNumber, loc.logIndex),
      user: args.user,
      amountPaid: args.amountPaid,
      creditAmount: args.creditAmount,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: loc.logIndex,
    }),
  );
}

/** DatanetFactory.TransactionInitiated: a Datanet creation fee. */
export function applyTransactionInitiated(s: BatchState, { args, loc }: TransactionInitiated): void {
  s.creationFees.add(
    new DatanetCreationFee({
      id: positionId(loc.blockNumber, loc.logIndex),
      transactionId: args.transactionId,
      user: args.user,
      amount: args.amount,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
      logIndex: loc.logIndex,
    }),
  );
}
