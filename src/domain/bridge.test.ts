import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LEGACY_ETH,
  SYSTEM_DEPOSITOR,
  ZERO_ADDRESS,
  computeBridgeTransfers,
  computeNativeDeposit,
  type BridgeLog,
} from './bridge';

const MESSENGER = '0x4200000000000000000000000000000000000007';
const L2 = '0x00000000000000000000000000000000000000b2';
const L1 = '0x00000000000000000000000000000000000000b1';
const ALICE = '0x000000000000000000000000000000000000a11c';
const BOB = '0x0000000000000000000000000000000000000b0b';

function erc20Withdrawal(start: number, amount: bigint, hash: string): BridgeLog[] {
  return [
    { kind: 'WithdrawalInitiated', logIndex: start, l1Token: L1, l2Token: L2, from: ALICE, to: ALICE, amount },
    {
      kind: 'ERC20BridgeInitiated',
      logIndex: start + 1,
      localToken: L2,
      remoteToken: L1,
      from: ALICE,
      to: ALICE,
      amount,
    },
    {
      kind: 'MessagePassed',
      logIndex: start + 2,
      nonce: 7n,
      sender: MESSENGER,
      target: BOB,
      value: 0n,
      withdrawalHash: hash,
    },
    { kind: 'SentMessage', logIndex: start + 3, target: BOB, sender: '0x4200000000000000000000000000000000000010' },
    { kind: 'SentMessageExtension1', logIndex: start + 4 },
  ];
}

describe('computeBridgeTransfers', () => {
  it('counts a standard-bridge ERC20 withdrawal (five logs) once, with its withdrawal hash', () => {
    const out = computeBridgeTransfers(erc20Withdrawal(0, 500n, '0xh1'), MESSENGER);
    assert.equal(out.transfers.length, 1);
    const t = out.transfers[0];
    assert.deepEqual(
      [t.direction, t.asset, t.account, t.l2Token, t.l1Token, t.amount, t.withdrawalHash, t.logIndex],
      ['OUT', 'ERC20', ALICE, L2, L1, 500n, '0xh1', 1],
    );
    assert.deepEqual(out.anomalies, []);
  });

  it('pairs two withdrawals in one transaction with their own MessagePassed', () => {
    const out = computeBridgeTransfers(
      [...erc20Withdrawal(0, 1n, '0xh1'), ...erc20Withdrawal(5, 2n, '0xh2')],
      MESSENGER,
    );
    assert.deepEqual(
      out.transfers.map((t) => [t.amount, t.withdrawalHash]),
      [
        [1n, '0xh1'],
        [2n, '0xh2'],
      ],
    );
  });

  it('treats a MessagePassed with value from a user as a native OPEN withdrawal', () => {
    const out = computeBridgeTransfers(
      [{ kind: 'MessagePassed', logIndex: 3, nonce: 1n, sender: ALICE, target: BOB, value: 9n, withdrawalHash: '0xw' }],
      MESSENGER,
    );
    assert.deepEqual(
      out.transfers.map((t) => [t.direction, t.asset, t.account, t.to, t.amount, t.withdrawalHash, t.l2Token]),
      [['OUT', 'NATIVE', ALICE, BOB, 9n, '0xw', ZERO_ADDRESS]],
    );
  });

  it('ignores a value-less message that is not a bridge transfer', () => {
    const out = computeBridgeTransfers(
      [{ kind: 'MessagePassed', logIndex: 0, nonce: 1n, sender: ALICE, target: BOB, value: 0n, withdrawalHash: '0xw' }],
      MESSENGER,
    );
    assert.deepEqual(out.transfers, []);
  });

  it('counts an ERC20 deposit (legacy + generic + relay) once and credits the recipient', () => {
    const out = computeBridgeTransfers(
      [
        { kind: 'DepositFinalized', logIndex: 0, l1Token: L1, l2Token: L2, from: ALICE, to: BOB, amount: 42n },
        {
          kind: 'ERC20BridgeFinalized',
          logIndex: 1,
          localToken: L2,
          remoteToken: L1,
          from: ALICE,
          to: BOB,
          amount: 42n,
        },
        { kind: 'RelayedMessage', logIndex: 2 },
      ],
      MESSENGER,
    );
    assert.deepEqual(
      out.transfers.map((t) => [t.direction, t.asset, t.account, t.amount, t.logIndex]),
      [['IN', 'ERC20', BOB, 42n, 1]],
    );
  });

  it('still counts a legacy-only event, and flags an initiation without a message', () => {
    const out = computeBridgeTransfers(
      [
        {
          kind: 'WithdrawalInitiated',
          logIndex: 0,
          l1Token: ZERO_ADDRESS,
          l2Token: LEGACY_ETH,
          from: ALICE,
          to: ALICE,
          amount: 5n,
        },
        { kind: 'ERC20BridgeInitiated', logIndex: 1, localToken: L2, remoteToken: L1, from: BOB, to: BOB, amount: 6n },
      ],
      MESSENGER,
    );
    assert.deepEqual(
      out.transfers.map((t) => [t.asset, t.account, t.amount]),
      [
        ['NATIVE', ALICE, 5n],
        ['ERC20', BOB, 6n],
      ],
    );
    assert.equal(out.anomalies.length, 1);
    assert.equal(out.anomalies[0].logIndex, 1);
  });
});

describe('computeNativeDeposit', () => {
  const base = { hash: '0xd', from: ALICE, to: BOB, mint: 10n, sourceHash: '0xs' };
  it('credits mint to from', () => {
    const t = computeNativeDeposit(base)!;
    assert.deepEqual([t.direction, t.asset, t.account, t.amount], ['IN', 'NATIVE', ALICE, 10n]);
  });
  it('skips system deposits and zero mints', () => {
    assert.equal(computeNativeDeposit({ ...base, from: SYSTEM_DEPOSITOR }), null);
    assert.equal(computeNativeDeposit({ ...base, mint: 0n }), null);
  });
});
