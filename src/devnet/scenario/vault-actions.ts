/** RewardVault traffic: closing epochs (with the right root, or a deliberately wrong one) and claims. */
import { encodeFunctionData, type Hex } from 'viem';
import { computeEpochTree } from '../truth/merkle';
import { REWARD_VAULT_ABI } from './abis';
import { GAS, type ClaimItem, type Simulator } from './simulator';

/** Closes the current epoch with the correct root, or a deliberately wrong one when `tamper` is set. */
export async function closeEpoch(sim: Simulator, tamper?: { account: string; delta: bigint }): Promise<bigint> {
  const tree = sim.truth.currentEpochTree();
  let root = tree.root;
  let total = tree.total;
  if (tamper) {
    const amounts = new Map(tree.amounts);
    amounts.set(tamper.account, (amounts.get(tamper.account) ?? 0n) + tamper.delta);
    root = computeEpochTree(amounts).root;
    total = tree.total + tamper.delta;
  }
  const data = encodeFunctionData({ abi: REWARD_VAULT_ABI, functionName: 'closeEpoch', args: [root as Hex, total] });
  await sim.sender.send({
    from: sim.admin,
    to: sim.c.RewardVault,
    data,
    gas: GAS.simple,
    label: `closeEpoch ${sim.truth.currentEpoch}`,
  });
  return sim.truth.epochClosed(root, total);
}

/** Claims leaves of closed, correctly rooted epochs: `claim` by the account itself, `claimFor` or `claimBatch` by the admin. */
export async function claimRewards(sim: Simulator, items: ClaimItem[], mode: 'self' | 'for' | 'batch'): Promise<void> {
  const leaf = (i: ClaimItem) => {
    const epoch = sim.truth.epochs.get(i.epoch)!;
    const prover = sim.epochProver(i.epoch);
    return { amount: epoch.expected!.amounts.get(i.account.toLowerCase())!, proof: prover(i.account) as Hex[] };
  };
  if (mode === 'batch') {
    const leaves = items.map(leaf);
    const data = encodeFunctionData({
      abi: REWARD_VAULT_ABI,
      functionName: 'claimBatch',
      args: [
        items.map((i) => i.account as Hex),
        items.map((i) => i.epoch),
        leaves.map((l) => l.amount),
        leaves.map((l) => l.proof),
      ],
    });
    const gas = GAS.batchBase + GAS.claimItem * BigInt(items.length);
    await sim.sender.send({ from: sim.admin, to: sim.c.RewardVault, data, gas, label: `claimBatch x${items.length}` });
    items.forEach((i, k) => sim.truth.rewardClaimed(i.epoch, i.account, leaves[k].amount));
    return;
  }
  for (const i of items) {
    const { amount, proof } = leaf(i);
    const data =
      mode === 'self'
        ? encodeFunctionData({ abi: REWARD_VAULT_ABI, functionName: 'claim', args: [i.epoch, amount, proof] })
        : encodeFunctionData({
            abi: REWARD_VAULT_ABI,
            functionName: 'claimFor',
            args: [i.account as Hex, i.epoch, amount, proof],
          });
    const from = mode === 'self' ? i.account : sim.admin;
    await sim.sender.send({
      from,
      to: sim.c.RewardVault,
      data,
      gas: GAS.claimBase,
      label: `claim ${i.epoch} ${i.account}`,
    });
    sim.truth.rewardClaimed(i.epoch, i.account, amount);
  }
}
