/**
 * OP Stack bridge rules (PROTOCOL.md section 6): turn one transaction's bridge logs into transfers,
 * one per transfer, never double-counted. Pure.
 */

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
/** The L1 attributes depositor: its deposit transactions are system deposits, not transfers. */
export const SYSTEM_DEPOSITOR = '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001';
/** The legacy token address standing for ETH in the OP Stack bridge's legacy events. */
export const LEGACY_ETH = '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0000';

/** A bridge log, reduced to what the rule reads. Addresses lowercase. */
export type BridgeLog =
  | {
      kind: 'WithdrawalInitiated' | 'DepositFinalized';
      logIndex: number;
      l1Token: string;
      l2Token: string;
      from: string;
      to: string;
      amount: bigint;
    }
  | {
      kind: 'ERC20BridgeInitiated' | 'ERC20BridgeFinalized';
      logIndex: number;
      localToken: string;
      remoteToken: string;
      from: string;
      to: string;
      amount: bigint;
    }
  | { kind: 'ETHBridgeInitiated' | 'ETHBridgeFinalized'; logIndex: number; from: string; to: string; amount: bigint }
  | {
      kind: 'MessagePassed';
      logIndex: number;
      nonce: bigint;
      sender: string;
      target: string;
      value: bigint;
      withdrawalHash: string;
    }
  | { kind: 'SentMessage'; logIndex: number; target: string; sender: string }
  | { kind: 'SentMessageExtension1' | 'RelayedMessage' | 'FailedRelayedMessage'; logIndex: number };

/** A transfer derived from a transaction's logs. */
export interface TransferDraft {
  direction: 'IN' | 'OUT';
  asset: 'NATIVE' | 'ERC20';
  /** The L2 account whose balance moved: the sender for OUT, the credited account for IN. */
  account: string;
  from: string;
  to: string;
  l1Token: string;
  l2Token: string;
  amount: bigint;
  withdrawalHash: string | null;
  messageNonce: bigint | null;
  /** The log that defines the transfer (its id). */
  logIndex: number;
}

/** The outcome for one transaction. */
export interface BridgeOutcome {
  transfers: TransferDraft[];
  anomalies: { logIndex: number; reason: string }[];
}

type Legacy = Extract<BridgeLog, { kind: 'WithdrawalInitiated' | 'DepositFinalized' }>;

function takeLegacy(list: Legacy[], match: (l: Legacy) => boolean): Legacy | undefined {
  const i = list.findIndex(match);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

/**
 * Folds one transaction's bridge logs (in log order) into transfers. A standard-bridge withdrawal
 * (WithdrawalInitiated + ERC20BridgeInitiated + MessagePassed + SentMessage + SentMessageExtension1) is
 * one OUT transfer carrying its MessagePassed's withdrawal hash; legacy events are twins of generic ones.
 * A MessagePassed not sent by the messenger with value > 0 is a native OPEN withdrawal.
 */
export function computeBridgeTransfers(logs: readonly BridgeLog[], messenger: string): BridgeOutcome {
  const transfers: TransferDraft[] = [];
  const anomalies: BridgeOutcome['anomalies'] = [];
  const legacyOut: Legacy[] = [];
  const legacyIn: Legacy[] = [];
  const awaitingMessage: TransferDraft[] = [];
  let awaitingSender: TransferDraft | null = null;
  for (const log of logs) {
    switch (log.kind) {
      case 'WithdrawalInitiated':
        legacyOut.push(log);
        break;
      case 'DepositFinalized':
        legacyIn.push(log);
        break;
      case 'ERC20BridgeInitiated': {
        takeLegacy(legacyOut, (l) => l.l2Token === log.localToken && l.from === log.from && l.amount === log.amount);
        const t = draft('OUT', 'ERC20', log.from, log.to, log.remoteToken, log.localToken, log.amount, log.logIndex);
        transfers.push(t);
        awaitingMessage.push(t);
        break;
      }
      case 'ETHBridgeInitiated': {
        takeLegacy(legacyOut, (l) => l.l2Token === LEGACY_ETH && l.from === log.from && l.amount === log.amount);
        const t = draft('OUT', 'NATIVE', log.from, log.to, ZERO_ADDRESS, ZERO_ADDRESS, log.amount, log.logIndex);
        transfers.push(t);
        awaitingMessage.push(t);
        break;
      }
      case 'ERC20BridgeFinalized':
        takeLegacy(legacyIn, (l) => l.l2Token === log.localToken && l.to === log.to && l.amount === log.amount);
        transfers.push(
          draft('IN', 'ERC20', log.from, log.to, log.remoteToken, log.localToken, log.amount, log.logIndex),
        );
        break;
      case 'ETHBridgeFinalized':
        takeLegacy(legacyIn, (l) => l.l2Token === LEGACY_ETH && l.to === log.to && l.amount === log.amount);
        transfers.push(draft('IN', 'NATIVE', log.from, log.to, ZERO_ADDRESS, ZERO_ADDRESS, log.amount, log.logIndex));
        break;
      case 'MessagePassed':
        if (log.sender === messenger) {
          const t = awaitingMessage.shift();
          if (t) {
            t.withdrawalHash = log.withdrawalHash;
            t.messageNonce = log.nonce;
          } else if (log.value > 0n) {
            // Native value sent through the messenger itself: the sender is named by the SentMessage that follows.
            const n = draft(
              'OUT',
              'NATIVE',
              messenger,
              log.target,
              ZERO_ADDRESS,
              ZERO_ADDRESS,
              log.value,
              log.logIndex,
            );
            n.withdrawalHash = log.withdrawalHash;
            n.messageNonce = log.nonce;
            transfers.push(n);
            awaitingSender = n;
          }
        } else if (log.value > 0n) {
          const n = draft('OUT', 'NATIVE', log.sender, log.target, ZERO_ADDRESS, ZERO_ADDRESS, log.value, log.logIndex);
          n.withdrawalHash = log.withdrawalHash;
          n.messageNonce = log.nonce;
          transfers.push(n);
        }
        break;
      case 'SentMessage':
        if (awaitingSender) {
          awaitingSender.from = log.sender;
          awaitingSender.account = log.sender;
          awaitingSender.to = log.target;
          awaitingSender = null;
        }
        break;
      case 'SentMessageExtension1':
      case 'RelayedMessage':
      case 'FailedRelayedMessage':
        break;
    }
  }
  for (const t of awaitingMessage) {
    anomalies.push({ logIndex: t.logIndex, reason: 'bridge withdrawal without a MessagePassed from the messenger' });
  }
  // A legacy event with no generic twin is still a transfer (older bridge versions emit only the legacy form).
  for (const l of legacyOut) {
    const native = l.l2Token === LEGACY_ETH;
    transfers.push(
      draft(
        'OUT',
        native ? 'NATIVE' : 'ERC20',
        l.from,
        l.to,
        native ? ZERO_ADDRESS : l.l1Token,
        native ? ZERO_ADDRESS : l.l2Token,
        l.amount,
        l.logIndex,
      ),
    );
  }
  for (const l of legacyIn) {
    const native = l.l2Token === LEGACY_ETH;
    transfers.push(
      draft(
        'IN',
        native ? 'NATIVE' : 'ERC20',
        l.from,
        l.to,
        native ? ZERO_ADDRESS : l.l1Token,
        native ? ZERO_ADDRESS : l.l2Token,
        l.amount,
        l.logIndex,
      ),
    );
  }
  transfers.sort((a, b) => a.logIndex - b.logIndex);
  return { transfers, anomalies };
}

function draft(
  direction: 'IN' | 'OUT',
  asset: 'NATIVE' | 'ERC20',
  from: string,
  to: string,
  l1Token: string,
  l2Token: string,
  amount: bigint,
  logIndex: number,
): TransferDraft {
  const account = direction === 'OUT' ? from : to;
  return {
    direction,
    asset,
    account,
    from,
    to,
    l1Token,
    l2Token,
    amount,
    withdrawalHash: null,
    messageNonce: null,
    logIndex,
  };
}

/** A deposit transaction (type 0x7E) as fetched from the node. */
export interface DepositTx {
  hash: string;
  from: string;
  to: string | null;
  mint: bigint;
  sourceHash: string;
}

/** A native OPEN deposit: `mint` credited to `from`, unless it is a system deposit or mints nothing. */
export function computeNativeDeposit(tx: DepositTx): TransferDraft | null {
  if (tx.from === SYSTEM_DEPOSITOR || tx.mint <= 0n) return null;
  const t = draft('IN', 'NATIVE', tx.from, tx.to ?? tx.from, ZERO_ADDRESS, ZERO_ADDRESS, tx.mint, -1);
  t.account = tx.from; // mint is credited to `from`, even when execution fails
  return t;
}
