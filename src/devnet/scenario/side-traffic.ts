/**
 * Traffic beside the attribution protocol: bridge transfers (ERC20 deposits and withdrawals,
 * native withdrawals), credit purchases and Datanet creation fees.
 */
import type { Hex } from 'viem';
import { depositErc20, withdrawErc20, withdrawMany, withdrawNative } from './bridge-actions';
import { purchaseCredits, purchaseCreditsFor } from './payments';
import type { TrafficContext } from './generators';

const OPEN = 10n ** 18n;

function symbols(ctx: TrafficContext): string[] {
  return Object.keys(ctx.sim.deployment.tokens).sort();
}

/** One ERC20 deposit amount (tokens have 18 decimals). */
function tokenAmount(ctx: TrafficContext): bigint {
  return ctx.prng.bigint(10n ** 16n, 5_000n * OPEN);
}

/** Deposits tokens to `count` bridge users and to the multicall helper (so withdrawals have funds). */
export async function seedBridgeBalances(ctx: TrafficContext, count: number): Promise<void> {
  const { sim, prng, st } = ctx;
  const users = [
    ...prng.sample(st.cast.bridgeUsers, Math.min(count, st.cast.bridgeUsers.length)),
    sim.state.multicall!,
  ];
  const deposits = users.map((to) => ({
    symbol: prng.pick(symbols(ctx)),
    from: to === sim.state.multicall ? st.cast.admin : to,
    to,
    amount: tokenAmount(ctx),
  }));
  // Half relayed one per transaction, half two per transaction (relayMessages).
  const half = Math.ceil(deposits.length / 2);
  await depositErc20(sim, deposits.slice(0, half), st.cast.admin, 'single');
  for (let i = half; i < deposits.length; i += 2)
    await depositErc20(sim, deposits.slice(i, i + 2), st.cast.admin, 'batch');
}

/** n random bridge transfers: deposits, ERC20 withdrawals (withdraw / withdrawTo), native withdrawals. */
export async function runBridge(ctx: TrafficContext, n: number): Promise<void> {
  const { sim, prng, st } = ctx;
  for (let i = 0; i < n; i++) {
    const user = prng.pick(st.cast.bridgeUsers);
    const r = prng.next();
    if (r < 0.25) {
      const l1Sender = prng.chance(0.8) ? user : prng.pick(st.cast.payers);
      const deposit = { symbol: prng.pick(symbols(ctx)), from: l1Sender, to: user, amount: tokenAmount(ctx) };
      await depositErc20(sim, [deposit], prng.pick([st.cast.admin, user]), 'single');
    } else if (r < 0.6) {
      const held = symbols(ctx).filter((s) => sim.balance(sim.deployment.tokens[s].l2, user) > 0n);
      if (held.length === 0) {
        await depositErc20(
          sim,
          [{ symbol: prng.pick(symbols(ctx)), from: user, to: user, amount: tokenAmount(ctx) }],
          st.cast.admin,
          'single',
        );
        continue;
      }
      const symbol = prng.pick(held);
      const balance = sim.balance(sim.deployment.tokens[symbol].l2, user);
      const amount = prng.chance(0.2) ? balance : prng.bigint(1n, balance);
      const to = prng.chance(0.3) ? prng.pick(st.cast.payers) : undefined;
      const minGasLimit = BigInt(prng.int(100_000, 300_000));
      await withdrawErc20(sim, {
        user,
        symbol,
        amount,
        to,
        minGasLimit,
        extraData: prng.chance(0.2) ? '0x6f70656e' : '0x',
      });
    } else if (r < 0.93) {
      const data: Hex = prng.chance(0.2) ? '0xdeadbeef' : '0x';
      const target = prng.chance(0.7) ? user : prng.pick(st.cast.payers);
      await withdrawNative(sim, user, prng.bigint(10n ** 15n, 20n * OPEN), {
        target,
        gasLimit: BigInt(prng.int(50_000, 500_000)),
        data,
      });
    } else {
      await withdrawNative(sim, user, prng.bigint(10n ** 15n, OPEN), { viaReceive: true });
    }
  }
}

/** Two withdrawals in one transaction through the multicall helper: native + native, or ERC20 + native. */
export async function runDoubleWithdrawal(ctx: TrafficContext, withErc20: boolean): Promise<void> {
  const { sim, prng, st } = ctx;
  const caller = prng.pick(st.cast.bridgeUsers);
  const helper = sim.state.multicall!;
  const native = {
    kind: 'native' as const,
    amount: prng.bigint(10n ** 15n, OPEN),
    target: caller,
    gasLimit: 100_000n,
    data: '0x' as Hex,
  };
  const held = symbols(ctx).filter((s) => sim.balance(sim.deployment.tokens[s].l2, helper) > 0n);
  if (withErc20 && held.length > 0) {
    const symbol = prng.pick(held);
    const amount = prng.bigint(1n, sim.balance(sim.deployment.tokens[symbol].l2, helper));
    await withdrawMany(sim, caller, [
      { kind: 'erc20', symbol, amount, to: caller, minGasLimit: 200_000n, extraData: '0x' },
      native,
    ]);
  } else {
    await withdrawMany(sim, caller, [native, { ...native, amount: prng.bigint(10n ** 15n, OPEN), gasLimit: 150_000n }]);
  }
}

/** n credit purchases: purchaseCredits by payers, and a purchaseCreditsFor batch by the admin. */
export async function runCredits(ctx: TrafficContext, n: number): Promise<void> {
  const { sim, prng, st } = ctx;
  const batch: { user: string; amount: bigint }[] = [];
  for (let i = 0; i < n; i++) {
    const user = prng.pick(st.cast.payers);
    const amount = prng.chance(0.1) ? prng.bigint(1n, 10n ** 12n) : prng.bigint(10n ** 16n, 100n * OPEN);
    if (prng.chance(0.6)) await purchaseCredits(sim, user, amount);
    else batch.push({ user, amount });
  }
  if (batch.length > 0) await purchaseCreditsFor(sim, batch);
}

/** A creation fee paid by `user` (0.01 to 0.1 OPEN, odd wei). */
export function creationFee(ctx: TrafficContext): bigint {
  return ctx.prng.bigint(OPEN / 100n, OPEN / 10n);
}
