/**
 * Bridge traffic through the OP Stack predeploy mocks: ERC20 deposits (relayed L1 messages),
 * ERC20 and native withdrawals, and several withdrawals in one transaction via DevnetMulticall.
 */
import { encodeFunctionData, type Hex } from 'viem';
import { computeWithdrawalHash, erc20WithdrawalTransaction, versionedNonce } from '../truth/bridge';
import { MESSAGE_PASSER_ABI, MESSENGER_ABI, STANDARD_BRIDGE_ABI } from './abis';
import { MULTICALL_ABI } from './multicall';
import { GAS, type Simulator } from './simulator';

/** The L1 standard bridge the L2 bridge mock trusts as the sender of deposits (OTHER_BRIDGE). */
export const L1_STANDARD_BRIDGE = '0x1100000000000000000000000000000000000010';
const L2_STANDARD_BRIDGE = '0x4200000000000000000000000000000000000010';

export interface Erc20Deposit {
  symbol: string;
  /** L1 sender. */
  from: string;
  /** L2 recipient (the account the deposit is credited to). */
  to: string;
  amount: bigint;
}

/** Relays ERC20 deposits: one `relayMessage` per deposit, or all through one `relayMessages`. */
export async function depositErc20(
  sim: Simulator,
  deposits: Erc20Deposit[],
  relayer: string,
  mode: 'single' | 'batch',
): Promise<void> {
  const messages = deposits.map((d) => {
    const token = sim.deployment.tokens[d.symbol];
    const message = encodeFunctionData({
      abi: STANDARD_BRIDGE_ABI,
      functionName: 'finalizeBridgeERC20',
      args: [token.l2 as Hex, token.l1 as Hex, d.from as Hex, d.to as Hex, d.amount, '0x'],
    });
    return {
      nonce: versionedNonce(sim.state.depositNonce++),
      sender: L1_STANDARD_BRIDGE as Hex,
      target: L2_STANDARD_BRIDGE as Hex,
      value: 0n,
      minGasLimit: 200_000n,
      message,
    };
  });
  const to = sim.c.L2CrossDomainMessenger;
  if (mode === 'batch') {
    const data = encodeFunctionData({ abi: MESSENGER_ABI, functionName: 'relayMessages', args: [messages] });
    const gas = 100_000n + 250_000n * BigInt(messages.length);
    await sim.sender.send({ from: relayer, to, data, gas, label: `relayMessages x${messages.length}` });
  } else {
    for (const m of messages) {
      const data = encodeFunctionData({
        abi: MESSENGER_ABI,
        functionName: 'relayMessage',
        args: [m.nonce, m.sender, m.target, m.value, m.minGasLimit, m.message],
      });
      await sim.sender.send({ from: relayer, to, data, gas: 350_000n, label: 'relayMessage (ERC20 deposit)' });
    }
  }
  for (const d of deposits) {
    const l2 = sim.deployment.tokens[d.symbol].l2;
    sim.truth.bridgeDeposit(d.to, l2, d.amount);
    sim.adjustBalance(l2, d.to, d.amount);
  }
}

export interface Erc20WithdrawalParams {
  user: string;
  symbol: string;
  amount: bigint;
  /** L1 recipient; when set and different, `withdrawTo` is used. */
  to?: string;
  minGasLimit?: bigint;
  extraData?: Hex;
}

/** Withdraws an ERC20 with `withdraw` (to self) or `withdrawTo`. */
export async function withdrawErc20(sim: Simulator, w: Erc20WithdrawalParams): Promise<void> {
  const token = sim.deployment.tokens[w.symbol];
  const minGasLimit = w.minGasLimit ?? 200_000n;
  const extraData = w.extraData ?? '0x';
  const data =
    w.to === undefined
      ? encodeFunctionData({
          abi: STANDARD_BRIDGE_ABI,
          functionName: 'withdraw',
          args: [token.l2 as Hex, w.amount, Number(minGasLimit), extraData],
        })
      : encodeFunctionData({
          abi: STANDARD_BRIDGE_ABI,
          functionName: 'withdrawTo',
          args: [token.l2 as Hex, w.to as Hex, w.amount, Number(minGasLimit), extraData],
        });
  await sim.sender.send({
    from: w.user,
    to: sim.c.L2StandardBridge,
    data,
    gas: 450_000n,
    label: `ERC20 withdrawal ${w.symbol}`,
  });
  recordErc20Withdrawal(sim, w.symbol, w.user, w.to ?? w.user, w.amount, minGasLimit, extraData);
}

export type MultiWithdrawal =
  | { kind: 'native'; amount: bigint; target: string; gasLimit: bigint; data: Hex }
  | { kind: 'erc20'; symbol: string; amount: bigint; to: string; minGasLimit: bigint; extraData: Hex };

/** Several withdrawals in ONE transaction, sent by `caller` through DevnetMulticall (the L2 sender of each is the helper). */
export async function withdrawMany(sim: Simulator, caller: string, items: MultiWithdrawal[]): Promise<void> {
  const helper = sim.state.multicall;
  if (helper === null) throw new Error('simulator bug: DevnetMulticall is not deployed');
  const targets: Hex[] = [];
  const values: bigint[] = [];
  const calls: Hex[] = [];
  for (const w of items) {
    if (w.kind === 'native') {
      targets.push(sim.c.L2ToL1MessagePasser as Hex);
      values.push(w.amount);
      calls.push(
        encodeFunctionData({
          abi: MESSAGE_PASSER_ABI,
          functionName: 'initiateWithdrawal',
          args: [w.target as Hex, w.gasLimit, w.data],
        }),
      );
    } else {
      const token = sim.deployment.tokens[w.symbol];
      targets.push(sim.c.L2StandardBridge as Hex);
      values.push(0n);
      calls.push(
        encodeFunctionData({
          abi: STANDARD_BRIDGE_ABI,
          functionName: 'withdrawTo',
          args: [token.l2 as Hex, w.to as Hex, w.amount, Number(w.minGasLimit), w.extraData],
        }),
      );
    }
  }
  const value = values.reduce((a, v) => a + v, 0n);
  const data = encodeFunctionData({ abi: MULTICALL_ABI, functionName: 'multicall', args: [targets, values, calls] });
  const gas = 100_000n + 450_000n * BigInt(items.length);
  await sim.sender.send({
    from: caller,
    to: helper,
    data,
    value,
    gas,
    label: `multicall x${items.length} withdrawals`,
  });
  for (const w of items) {
    if (w.kind === 'native') recordNativeWithdrawal(sim, helper, w.target, w.amount, w.gasLimit, w.data);
    else recordErc20Withdrawal(sim, w.symbol, helper, w.to, w.amount, w.minGasLimit, w.extraData);
  }
}

/** Native OPEN out: initiateWithdrawal with value (or a plain transfer to the passer when `viaReceive`). */
export async function withdrawNative(
  sim: Simulator,
  user: string,
  amount: bigint,
  opts: { target?: string; gasLimit?: bigint; data?: Hex; viaReceive?: boolean } = {},
): Promise<void> {
  const target = opts.viaReceive ? user : (opts.target ?? user);
  const gasLimit = opts.viaReceive ? 100_000n : (opts.gasLimit ?? 100_000n);
  const payload = opts.viaReceive ? '0x' : (opts.data ?? '0x');
  const data = opts.viaReceive
    ? '0x'
    : encodeFunctionData({
        abi: MESSAGE_PASSER_ABI,
        functionName: 'initiateWithdrawal',
        args: [target as Hex, gasLimit, payload],
      });
  await sim.sender.send({
    from: user,
    to: sim.c.L2ToL1MessagePasser,
    data,
    value: amount,
    gas: GAS.bridge,
    label: 'native withdrawal',
  });
  recordNativeWithdrawal(sim, user, target, amount, gasLimit, payload);
}

/** Records a native withdrawal's truth (hash from the simulator's own passer counter). */
export function recordNativeWithdrawal(
  sim: Simulator,
  sender: string,
  target: string,
  amount: bigint,
  gasLimit: bigint,
  data: Hex,
): void {
  const hash = computeWithdrawalHash({
    nonce: versionedNonce(sim.state.passerCount++),
    sender: sender.toLowerCase(),
    target,
    value: amount,
    gasLimit,
    data,
  });
  sim.truth.bridgeWithdrawal(sender, '0x0000000000000000000000000000000000000000', amount, hash);
}

/** Records an ERC20 withdrawal's truth (hash from the simulator's own counters). */
export function recordErc20Withdrawal(
  sim: Simulator,
  symbol: string,
  from: string,
  to: string,
  amount: bigint,
  minGasLimit: bigint,
  extraData: Hex,
): void {
  const token = sim.deployment.tokens[symbol];
  const w = erc20WithdrawalTransaction({
    passerCount: sim.state.passerCount++,
    messengerCount: sim.state.messengerCount++,
    l1Token: token.l1,
    l2Token: token.l2,
    from,
    to,
    amount,
    minGasLimit,
    extraData,
  });
  sim.adjustBalance(token.l2, from, -amount);
  sim.truth.bridgeWithdrawal(from, token.l2, amount, computeWithdrawalHash(w));
}
