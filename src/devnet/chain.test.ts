import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { createInterface } from 'node:readline';
import type { Address } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { DEVNET_ACCOUNT_BALANCE, DEVNET_MNEMONIC, rpc, startHardhatNode } from './chain';
import { getArtifact } from './compile';
import { PREDEPLOYS, VAULT_FUNDING, createDevnetClients, deployAll } from './deploy';
import { CONTRACT_NAMES } from './types';

const isUp = (rpcUrl: string) =>
  rpc(rpcUrl, 'eth_chainId').then(
    () => true,
    () => false,
  );

test('startHardhatNode on port 0 serves chain 901 with 200 funded default-mnemonic accounts, automine and a 120M block gas limit', async (t) => {
  const started = Date.now();
  const node = await startHardhatNode({ port: 0 });
  try {
    t.diagnostic(`node up in ${Date.now() - started} ms`);
    assert.notEqual(node.port, 0);
    assert.equal(node.rpcUrl, `http://127.0.0.1:${node.port}`);
    assert.equal(node.accounts.length, 200);
    assert.equal(node.accounts[0], mnemonicToAccount(DEVNET_MNEMONIC).address.toLowerCase());
    assert.equal(node.accounts[199], mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 199 }).address.toLowerCase());
    assert.ok(node.accounts.every((a) => a === a.toLowerCase()));

    const { publicClient, walletClient } = createDevnetClients(node.rpcUrl);
    assert.equal(await publicClient.getChainId(), 901);
    assert.equal(await publicClient.getBalance({ address: node.accounts[199] as Address }), DEVNET_ACCOUNT_BALANCE);
    const block = await publicClient.getBlock();
    assert.equal(block.gasLimit, 120_000_000n);
    const hash = await walletClient.sendTransaction({
      account: node.accounts[1] as Address,
      to: node.accounts[2] as Address,
      value: 1n,
    });
    const receipt = await publicClient.getTransactionReceipt({ hash });
    assert.equal(receipt.blockNumber, block.number + 1n);
  } finally {
    await node.stop();
  }
  assert.equal(await isUp(node.rpcUrl), false);
});

test('startHardhatNode rejects with a clear message when the port is taken', async () => {
  const first = await startHardhatNode({ port: 0, accounts: 1 });
  try {
    await assert.rejects(startHardhatNode({ port: first.port, accounts: 1 }), /already in use/);
    assert.equal(await isUp(first.rpcUrl), true);
  } finally {
    await first.stop();
  }
});

test('the node exits when the process that launched it dies', async () => {
  const script = `require(${JSON.stringify(require.resolve('./chain'))})
    .startHardhatNode({ port: 0, accounts: 1 })
    .then((n) => console.log(n.rpcUrl), (e) => { console.error(e); process.exit(1); });`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [rpcUrl] = (await createInterface({ input: parent.stdout! })[Symbol.asyncIterator]().next()).value.split('\n');
  assert.equal(await isUp(rpcUrl), true);
  parent.kill('SIGKILL');
  const deadline = Date.now() + 5000;
  while ((await isUp(rpcUrl)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await isUp(rpcUrl), false, `the orphaned node at ${rpcUrl} is still answering`);
});

test('deployAll deploys every contract, installs the predeploys, funds the vault and grants account 0 its roles', async () => {
  const node = await startHardhatNode({ port: 0, accounts: 5 });
  try {
    const { deployment, artifacts } = await deployAll({ rpcUrl: node.rpcUrl });
    const { publicClient } = createDevnetClients(node.rpcUrl);
    assert.equal(deployment.chainId, 901);
    assert.deepEqual(Object.keys(deployment.contracts).sort(), [...CONTRACT_NAMES].sort());
    for (const name of CONTRACT_NAMES) {
      const address = deployment.contracts[name];
      assert.match(address, /^0x[0-9a-f]{40}$/, name);
      const code = await publicClient.getCode({ address: address as Address });
      assert.ok(code && code.length > 2, `${name} has no code at ${address}`);
    }
    for (const [name, address] of Object.entries(PREDEPLOYS)) {
      assert.equal(deployment.contracts[name as keyof typeof PREDEPLOYS], address);
      const code = await publicClient.getCode({ address });
      assert.ok(
        code === getArtifact(artifacts, name).deployedBytecode,
        `${name} at ${address} is not the compiled mock`,
      );
    }

    const first = await publicClient.getBlock({
      blockNumber: BigInt(deployment.startBlock),
      includeTransactions: true,
    });
    const firstReceipt = await publicClient.getTransactionReceipt({ hash: first.transactions[0].hash });
    assert.equal(firstReceipt.contractAddress, deployment.contracts.DatanetRegistry);
    assert.equal(deployment.startBlock, 1);

    assert.deepEqual(Object.keys(deployment.tokens).sort(), ['USDC', 'WETH']);
    const read = (name: string, address: string, functionName: string, args: unknown[] = []) =>
      publicClient.readContract({
        abi: getArtifact(artifacts, name).abi,
        address: address as Address,
        functionName,
        args,
      });
    for (const { l1, l2 } of Object.values(deployment.tokens)) {
      assert.equal(String(await read('OptimismMintableERC20', l2, 'remoteToken')).toLowerCase(), l1);
      assert.equal(
        String(await read('OptimismMintableERC20', l2, 'bridge')).toLowerCase(),
        PREDEPLOYS.L2StandardBridge,
      );
    }
    assert.equal(
      await publicClient.getBalance({ address: deployment.contracts.RewardVault as Address }),
      VAULT_FUNDING,
    );
    assert.equal(
      await read('DatanetRegistry', deployment.contracts.DatanetRegistry, 'isRelayer', [node.accounts[0]]),
      true,
    );
    assert.equal(
      await read('AttributionEngine', deployment.contracts.AttributionEngine, 'isSettler', [node.accounts[0]]),
      true,
    );
    assert.equal(await read('RewardVault', deployment.contracts.RewardVault, 'currentEpoch'), 1n);
  } finally {
    await node.stop();
  }
});
