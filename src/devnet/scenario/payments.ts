/** Datanet creation fees (DatanetFactory) and inference credit purchases (CreditManager). */
import { encodeFunctionData, type Hex } from 'viem';
import { CREDIT_MANAGER_ABI, DATANET_FACTORY_ABI } from './abis';
import { GAS, type Simulator } from './simulator';

/** DatanetFactory.payCreationFee from the user. */
export async function payCreationFee(sim: Simulator, user: string, transactionId: Hex, amount: bigint): Promise<void> {
  const data = encodeFunctionData({
    abi: DATANET_FACTORY_ABI,
    functionName: 'payCreationFee',
    args: [transactionId],
  });
  await sim.sender.send({
    from: user,
    to: sim.c.DatanetFactory,
    data,
    value: amount,
    gas: GAS.simple,
    label: 'payCreationFee',
  });
  sim.truth.creationFeePaid(user, amount);
}

/** DatanetFactory.payCreationFees by the admin for several users. */
export async function payCreationFees(
  sim: Simulator,
  items: { id: Hex; user: string; amount: bigint }[],
): Promise<void> {
  const total = items.reduce((a, i) => a + i.amount, 0n);
  const data = encodeFunctionData({
    abi: DATANET_FACTORY_ABI,
    functionName: 'payCreationFees',
    args: [items.map((i) => i.id), items.map((i) => i.user as Hex), items.map((i) => i.amount)],
  });
  const gas = GAS.batchBase + GAS.paymentItem * BigInt(items.length);
  await sim.sender.send({
    from: sim.admin,
    to: sim.c.DatanetFactory,
    data,
    value: total,
    gas,
    label: 'payCreationFees',
  });
  for (const i of items) sim.truth.creationFeePaid(i.user, i.amount);
}

/** CreditManager.purchaseCredits from the user. */
export async function purchaseCredits(sim: Simulator, user: string, amount: bigint): Promise<void> {
  const data = encodeFunctionData({ abi: CREDIT_MANAGER_ABI, functionName: 'purchaseCredits' });
  await sim.sender.send({
    from: user,
    to: sim.c.CreditManager,
    data,
    value: amount,
    gas: GAS.simple,
    label: 'purchaseCredits',
  });
  sim.truth.creditPurchased(user, amount);
}

/** CreditManager.purchaseCreditsFor by the admin. */
export async function purchaseCreditsFor(sim: Simulator, items: { user: string; amount: bigint }[]): Promise<void> {
  const total = items.reduce((a, i) => a + i.amount, 0n);
  const data = encodeFunctionData({
    abi: CREDIT_MANAGER_ABI,
    functionName: 'purchaseCreditsFor',
    args: [items.map((i) => i.user as Hex), items.map((i) => i.amount)],
  });
  const gas = GAS.batchBase + GAS.paymentItem * BigInt(items.length);
  await sim.sender.send({
    from: sim.admin,
    to: sim.c.CreditManager,
    data,
    value: total,
    gas,
    label: 'purchaseCreditsFor',
  });
  for (const i of items) sim.truth.creditPurchased(i.user, i.amount);
}
