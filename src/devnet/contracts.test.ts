import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { encodeAbiParameters, encodeFunctionData, keccak256, parseAbi, type Address, type Hex } from 'viem';
import { getWithdrawalHashStorageSlot, getWithdrawals } from 'viem/op-stack';
import { compileContracts, getArtifact, projectRoot } from './compile';
import { expectRevert, withDevnet, type DecodedLog } from './contract-testkit';
import {
  L1_CROSS_DOMAIN_MESSENGER,
  L1_STANDARD_BRIDGE,
  PREDEPLOYS,
  erc20DepositMessage,
  versionedNonce,
} from './deploy';

const lc = (s: unknown) => String(s).toLowerCase();
const names = (logs: DecodedLog[]) => logs.map((l) => l.eventName);
const relayAbi = parseAbi(['function relayMessage(uint256,address,address,uint256,uint256,bytes)']);
const withdrawalHash = (nonce: bigint, sender: string, target: string, value: bigint, gasLimit: bigint, data: Hex) =>
  keccak256(
    encodeAbiParameters(
      [
        { type: 'uint256' },
        { type: 'address' },
        { type: 'address' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'bytes' },
      ],
      [nonce, sender as Address, target as Address, value, gasLimit, data],
    ),
  );

type AbiEvent = {
  type: string;
  name?: string;
  anonymous?: boolean;
  inputs?: { name: string; type: string; indexed?: boolean }[];
};
const eventShapes = (abi: readonly AbiEvent[]) =>
  abi
    .filter((i) => i.type === 'event')
    .map((e) => ({
      name: e.name,
      anonymous: e.anonymous ?? false,
      inputs: (e.inputs ?? []).map((p) => ({ name: p.name, type: p.type, indexed: p.indexed ?? false })),
    }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));

test('compiled contracts emit exactly the events of abi/*.json (names, types, indexed flags, param names)', () => {
  const artifacts = compileContracts();
  const dir = path.join(projectRoot(), 'abi');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 9);
  for (const file of files) {
    const name = path.basename(file, '.json');
    const expected = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as AbiEvent[];
    assert.deepEqual(eventShapes(getArtifact(artifacts, name).abi as AbiEvent[]), eventShapes(expected), name);
  }
});

test('compileContracts builds every contract once and serves the cached output on the next call', (t) => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'devnet-build-'));
  try {
    let started = Date.now();
    const cold = compileContracts({ cacheDir });
    const coldMs = Date.now() - started;
    const files = readdirSync(cacheDir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^[0-9a-f]{64}\.json$/);
    started = Date.now();
    const warm = compileContracts({ cacheDir });
    t.diagnostic(`cold compile ${coldMs} ms, cached ${Date.now() - started} ms`);
    assert.deepEqual(warm, cold);
    for (const name of [
      'DatanetRegistry',
      'ModelRegistry',
      'RewardVault',
      'AttributionEngine',
      'CreditManager',
      'DatanetFactory',
      'L2ToL1MessagePasser',
      'L2CrossDomainMessenger',
      'L2StandardBridge',
      'OptimismMintableERC20',
    ]) {
      assert.match(getArtifact(warm, name).bytecode, /^0x[0-9a-f]{100,}$/, name);
      assert.match(getArtifact(warm, name).deployedBytecode, /^0x[0-9a-f]{100,}$/, name);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a native withdrawal emits MessagePassed with the bedrock withdrawal hash, stored at its bedrock slot', () =>
  withDevnet(async (d) => {
    const passer = d.deployment.contracts.L2ToL1MessagePasser;
    const [, alice, bob] = d.node.accounts;
    const value = 3n * 10n ** 18n;
    const data: Hex = '0xdeadbeef';
    const receipt = await d.send('L2ToL1MessagePasser', passer, 'initiateWithdrawal', [bob, 250_000n, data], {
      from: alice,
      value,
    });
    const logs = d.decodeLogs(receipt.logs);
    assert.deepEqual(names(logs), ['MessagePassed']);
    const nonce = versionedNonce(0n);
    const expected = withdrawalHash(nonce, alice, bob, value, 250_000n, data);
    const args = logs[0].args;
    assert.equal(args.nonce, nonce);
    assert.equal(lc(args.sender), alice);
    assert.equal(lc(args.target), bob);
    assert.equal(args.value, value);
    assert.equal(args.gasLimit, 250_000n);
    assert.equal(args.data, data);
    assert.equal(args.withdrawalHash, expected);
    const [viemView] = getWithdrawals({ logs: receipt.logs });
    assert.equal(viemView.withdrawalHash, expected);
    const slot = getWithdrawalHashStorageSlot({ withdrawalHash: expected });
    assert.equal(BigInt((await d.publicClient.getStorageAt({ address: passer as Address, slot })) ?? 0), 1n);
    assert.equal(await d.publicClient.getBalance({ address: passer as Address }), value);

    const second = await d.send('L2ToL1MessagePasser', passer, 'initiateWithdrawal', [alice, 100_000n, '0x'], {
      from: bob,
      value: 1n,
    });
    const [next] = d.decodeLogs(second.logs);
    assert.equal(next.args.nonce, versionedNonce(1n));
    assert.equal(next.args.withdrawalHash, withdrawalHash(versionedNonce(1n), bob, alice, 1n, 100_000n, '0x'));
  }));

test('an ERC20 deposit relayed by the messenger mints and emits DepositFinalized, ERC20BridgeFinalized, RelayedMessage', () =>
  withDevnet(async (d) => {
    const { L2CrossDomainMessenger: messenger, L2StandardBridge: bridge } = d.deployment.contracts;
    const usdc = d.deployment.tokens.USDC;
    const [, alice, bob] = d.node.accounts;
    const msg = erc20DepositMessage({
      nonce: versionedNonce(7n),
      l1Token: usdc.l1 as Address,
      l2Token: usdc.l2 as Address,
      from: bob as Address,
      to: alice as Address,
      amount: 1000n,
      extraData: '0xab',
    });
    const args = [msg.nonce, msg.sender, msg.target, msg.value, msg.minGasLimit, msg.message] as const;
    const receipt = await d.send('L2CrossDomainMessenger', messenger, 'relayMessage', args, { from: bob });
    const logs = d.decodeLogs(receipt.logs);
    assert.deepEqual(names(logs), ['Transfer', 'DepositFinalized', 'ERC20BridgeFinalized', 'RelayedMessage']);
    assert.deepEqual(
      logs.map((l) => l.address),
      [usdc.l2, bridge, bridge, messenger],
    );
    assert.deepEqual(
      [
        lc(logs[1].args.l1Token),
        lc(logs[1].args.l2Token),
        lc(logs[1].args.from),
        lc(logs[1].args.to),
        logs[1].args.amount,
      ],
      [usdc.l1, usdc.l2, bob, alice, 1000n],
    );
    assert.deepEqual([lc(logs[2].args.localToken), lc(logs[2].args.remoteToken)], [usdc.l2, usdc.l1]);
    assert.equal(logs[3].args.msgHash, keccak256(encodeFunctionData({ abi: relayAbi, args })));
    assert.equal(await d.read('OptimismMintableERC20', usdc.l2, 'balanceOf', [alice]), 1000n);

    await expectRevert(d.send('L2CrossDomainMessenger', messenger, 'relayMessage', args), 'MessageAlreadyRelayed');
    await expectRevert(
      d.send('L2StandardBridge', bridge, 'finalizeBridgeERC20', [usdc.l2, usdc.l1, bob, alice, 5n, '0x']),
      'OnlyOtherBridge',
    );
    // A deposit naming the wrong L1 token fails inside the relay: FailedRelayedMessage, nothing minted.
    const wrong = erc20DepositMessage({
      ...msg,
      nonce: versionedNonce(8n),
      l1Token: usdc.l2 as Address,
      l2Token: usdc.l2 as Address,
      from: bob as Address,
      to: alice as Address,
      amount: 5n,
    });
    const batch = [msg, wrong].map((m, i) => ({ ...m, nonce: versionedNonce(10n + BigInt(i)) }));
    const batchLogs = d.decodeLogs((await d.send('L2CrossDomainMessenger', messenger, 'relayMessages', [batch])).logs);
    assert.deepEqual(names(batchLogs), [
      'Transfer',
      'DepositFinalized',
      'ERC20BridgeFinalized',
      'RelayedMessage',
      'FailedRelayedMessage',
    ]);
    assert.equal(await d.read('OptimismMintableERC20', usdc.l2, 'balanceOf', [alice]), 2000n);
  }));

test('an ERC20 withdrawal burns and emits exactly WithdrawalInitiated, ERC20BridgeInitiated, MessagePassed, SentMessage, SentMessageExtension1', () =>
  withDevnet(async (d) => {
    const {
      L2CrossDomainMessenger: messenger,
      L2StandardBridge: bridge,
      L2ToL1MessagePasser: passer,
    } = d.deployment.contracts;
    const weth = d.deployment.tokens.WETH;
    const [, alice, carol] = d.node.accounts;
    const dep = erc20DepositMessage({
      nonce: versionedNonce(1n),
      l1Token: weth.l1 as Address,
      l2Token: weth.l2 as Address,
      from: alice as Address,
      to: alice as Address,
      amount: 1000n,
    });
    await d.send('L2CrossDomainMessenger', messenger, 'relayMessages', [[dep]]);

    const receipt = await d.send('L2StandardBridge', bridge, 'withdrawTo', [weth.l2, carol, 400n, 150_000, '0x1234'], {
      from: alice,
    });
    const all = d.decodeLogs(receipt.logs);
    assert.deepEqual(names(all)[0], 'Transfer'); // the burn, from the token contract
    const logs = all.filter((l) => Object.values(PREDEPLOYS).includes(l.address as never));
    assert.deepEqual(names(logs), [
      'WithdrawalInitiated',
      'ERC20BridgeInitiated',
      'MessagePassed',
      'SentMessage',
      'SentMessageExtension1',
    ]);
    assert.deepEqual(
      logs.map((l) => l.address),
      [bridge, bridge, passer, messenger, messenger],
    );
    const [wi, bi, mp, sm, ext] = logs.map((l) => l.args);
    assert.deepEqual(
      [lc(wi.l1Token), lc(wi.l2Token), lc(wi.from), lc(wi.to), wi.amount, wi.extraData],
      [weth.l1, weth.l2, alice, carol, 400n, '0x1234'],
    );
    assert.deepEqual(
      [lc(bi.localToken), lc(bi.remoteToken), lc(bi.from), lc(bi.to), bi.amount],
      [weth.l2, weth.l1, alice, carol, 400n],
    );

    const finalize = encodeFunctionData({
      abi: getArtifact(d.artifacts, 'L2StandardBridge').abi,
      functionName: 'finalizeBridgeERC20',
      args: [weth.l1, weth.l2, alice, carol, 400n, '0x1234'],
    });
    const nonce = versionedNonce(0n);
    const relayData = encodeFunctionData({
      abi: relayAbi,
      args: [nonce, bridge as Address, L1_STANDARD_BRIDGE, 0n, 150_000n, finalize],
    });
    const baseGas = await d.read<bigint>('L2CrossDomainMessenger', messenger, 'baseGas', [finalize, 150_000]);
    assert.deepEqual(
      [lc(mp.sender), lc(mp.target), mp.value, mp.gasLimit, mp.data],
      [messenger, L1_CROSS_DOMAIN_MESSENGER, 0n, baseGas, relayData],
    );
    assert.equal(
      mp.withdrawalHash,
      withdrawalHash(mp.nonce as bigint, messenger, L1_CROSS_DOMAIN_MESSENGER, 0n, baseGas, relayData),
    );
    assert.deepEqual(
      [lc(sm.target), lc(sm.sender), sm.message, sm.messageNonce, sm.gasLimit],
      [L1_STANDARD_BRIDGE, bridge, finalize, nonce, 150_000n],
    );
    assert.deepEqual([lc(ext.sender), ext.value], [bridge, 0n]);
    assert.equal(await d.read('OptimismMintableERC20', weth.l2, 'balanceOf', [alice]), 600n);

    const legacyEth = '0xDeadDeAddeAddEAddeadDEaDDEAdDeaDDeAD0000';
    await expectRevert(
      d.send('L2StandardBridge', bridge, 'withdraw', [legacyEth, 1n, 100_000, '0x'], { from: alice }),
      'CustomGasTokenNoValue',
    );
    await expectRevert(
      d.send('L2StandardBridge', bridge, 'withdraw', [weth.l2, 1n, 100_000, '0x'], { from: alice, value: 1n }),
      'CustomGasTokenNoValue',
    );
    await expectRevert(
      d.send('L2StandardBridge', bridge, 'withdraw', [d.deployment.contracts.CreditManager, 1n, 100_000, '0x']),
      'NotMintableToken',
    );
    await expectRevert(
      d.send('L2CrossDomainMessenger', messenger, 'sendMessage', [carol, '0x', 100_000], { value: 1n }),
      'CustomGasTokenNoValue',
    );
  }));

test('registries, settlement, credits and creation fees emit their events with the right ids and actors', () =>
  withDevnet(async (d) => {
    const c = d.deployment.contracts;
    const [relayer, owner, validator, alice, bob] = d.node.accounts;
    const created = d.decodeLogs(
      (await d.send('DatanetRegistry', c.DatanetRegistry, 'createDatanet', ['Medical', 'ipfs://m'], { from: owner }))
        .logs,
    );
    assert.deepEqual(
      [created[0].eventName, created[0].args.datanetId, lc(created[0].args.owner)],
      ['DatanetCreated', 1n, owner],
    );
    await d.send('DatanetRegistry', c.DatanetRegistry, 'setValidator', [1n, validator, true], { from: owner });
    const h = (n: number) => keccak256(`0x0${n}`);
    const submitted = d.decodeLogs(
      (
        await d.send(
          'DatanetRegistry',
          c.DatanetRegistry,
          'submitContributionsFor',
          [
            [alice, bob, alice],
            [1n, 1n, 1n],
            [h(1), h(2), h(1)],
            [10n, 20n, 30n],
            ['a', 'b', 'c'],
          ],
          { from: relayer },
        )
      ).logs,
    );
    assert.deepEqual(
      submitted.map((l) => [l.args.contributionId, lc(l.args.contributor), l.args.dataHash]),
      [
        [1n, alice, h(1)],
        [2n, bob, h(2)],
        [3n, alice, h(1)],
      ],
    );
    const reviewed = d.decodeLogs(
      (
        await d.send('DatanetRegistry', c.DatanetRegistry, 'reviewContributionsFor', [
          [validator, validator],
          [1n, 2n],
          [true, false],
          [9000, 100],
        ])
      ).logs,
    );
    assert.deepEqual(
      reviewed.map((l) => [l.args.contributionId, lc(l.args.validator), l.args.accepted, l.args.qualityBps]),
      [
        [1n, validator, true, 9000],
        [2n, validator, false, 100],
      ],
    );

    const views = await Promise.all(
      [
        ['datanetOwner', [1n]],
        ['datanetStatus', [1n]],
        ['datanetCount', []],
        ['contributionCount', []],
        ['contributionDatanet', [3n]],
        ['isValidator', [1n, validator]],
      ].map(([fn, args]) => d.read('DatanetRegistry', c.DatanetRegistry, fn as string, args as unknown[])),
    );
    assert.deepEqual([lc(views[0]), ...views.slice(1)], [owner, 0, 1n, 3n, 1n, true]);

    const model = d.decodeLogs(
      (await d.send('ModelRegistry', c.ModelRegistry, 'registerModel', ['llm', [1n]], { from: bob })).logs,
    );
    assert.deepEqual([model[0].args.modelId, lc(model[0].args.owner), model[0].args.datanetIds], [1n, bob, [1n]]);
    for (const v of [1, 2]) {
      const [ap] = d.decodeLogs(
        (await d.send('ModelRegistry', c.ModelRegistry, 'publishAdapter', [1n, h(v), 'uri'], { from: bob })).logs,
      );
      assert.equal(ap.args.version, v);
    }
    assert.deepEqual(
      [
        lc(await d.read('ModelRegistry', c.ModelRegistry, 'modelOwner', [1n])),
        await d.read('ModelRegistry', c.ModelRegistry, 'modelCount'),
      ],
      [bob, 1n],
    );
    const [split] = d.decodeLogs(
      (await d.send('AttributionEngine', c.AttributionEngine, 'setFeeSplit', [1000, 2000, 3000, 4000])).logs,
    );
    assert.deepEqual(
      [split.eventName, split.args.protocolBps, split.args.contributorsBps],
      ['FeeSplitSet', 1000, 4000],
    );
    const s1 = {
      inferenceId: h(1),
      modelId: 1n,
      payer: alice,
      fee: 10n ** 18n,
      contributionIds: [1n, 999n],
      weightsPpm: [600_000, 400_000],
    };
    const s2 = { ...s1, inferenceId: h(2), contributionIds: [], weightsPpm: [] };
    const settled = d.decodeLogs(
      (await d.send('AttributionEngine', c.AttributionEngine, 'settleBatch', [[s1, s2]])).logs,
    );
    assert.deepEqual(names(settled), ['InferenceSettled', 'AttributionRecorded', 'InferenceSettled']);
    assert.deepEqual(
      [settled[0].args.epoch, settled[1].args.contributionIds, settled[1].args.weightsPpm],
      [1n, [1n, 999n], [600_000, 400_000]],
    );
    await d.send('RewardVault', c.RewardVault, 'closeEpoch', [`0x${'00'.repeat(32)}`, 0n]);
    const [later] = d.decodeLogs(
      (await d.send('AttributionEngine', c.AttributionEngine, 'settle', [{ ...s2, inferenceId: h(3) }])).logs,
    );
    assert.equal(later.args.epoch, 2n);

    const credits = d.decodeLogs(
      (
        await d.send(
          'CreditManager',
          c.CreditManager,
          'purchaseCreditsFor',
          [
            [alice, bob],
            [10n ** 18n, 5n * 10n ** 17n],
          ],
          { value: 15n * 10n ** 17n },
        )
      ).logs,
    );
    assert.deepEqual(
      credits.map((l) => [lc(l.args.user), l.args.amountPaid, l.args.creditAmount]),
      [
        [alice, 10n ** 18n, 1000n],
        [bob, 5n * 10n ** 17n, 500n],
      ],
    );
    const [fee] = d.decodeLogs(
      (await d.send('DatanetFactory', c.DatanetFactory, 'payCreationFee', [h(9)], { from: alice, value: 7n })).logs,
    );
    assert.deepEqual(
      [fee.eventName, fee.args.transactionId, lc(fee.args.user), fee.args.amount],
      ['TransactionInitiated', h(9), alice, 7n],
    );
  }));

test('protocol invariants revert with their custom errors', () =>
  withDevnet(async (d) => {
    const c = d.deployment.contracts;
    const [, owner, validator, alice, stranger] = d.node.accounts;
    const h = (n: number) => keccak256(`0x0${n}`);
    await d.send('DatanetRegistry', c.DatanetRegistry, 'createDatanet', ['n', ''], { from: owner });
    await d.send('DatanetRegistry', c.DatanetRegistry, 'setValidator', [1n, validator, true], { from: owner });
    await d.send('DatanetRegistry', c.DatanetRegistry, 'submitContribution', [1n, h(1), 1n, ''], { from: alice });
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'submitContribution', [2n, h(1), 1n, ''], { from: alice }),
      'UnknownDatanet',
    );
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'setDatanetStatus', [1n, 3], { from: owner }),
      'InvalidStatus',
    );
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'setDatanetStatus', [1n, 1], { from: stranger }),
      'NotDatanetOwner',
    );
    await d.send('DatanetRegistry', c.DatanetRegistry, 'setDatanetStatus', [1n, 1], { from: owner });
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'submitContribution', [1n, h(2), 1n, ''], { from: alice }),
      'DatanetNotActive',
    );
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'reviewContribution', [1n, true, 100], { from: stranger }),
      'NotValidator',
    );
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'reviewContributionsFor', [[stranger], [1n], [true], [1]]),
      'NotValidator',
    );
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'reviewContribution', [1n, true, 10_001], { from: validator }),
      'QualityOutOfRange',
    );
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'reviewContribution', [9n, true, 1], { from: validator }),
      'UnknownContribution',
    );
    await expectRevert(
      d.send('DatanetRegistry', c.DatanetRegistry, 'submitContributionsFor', [[alice], [1n], [h(3)], [1n], ['']], {
        from: alice,
      }),
      'NotRelayer',
    );

    await expectRevert(d.send('ModelRegistry', c.ModelRegistry, 'registerModel', ['m', [2n]]), 'UnknownDatanet');
    await d.send('ModelRegistry', c.ModelRegistry, 'registerModel', ['m', [1n]], { from: owner });
    await expectRevert(
      d.send('ModelRegistry', c.ModelRegistry, 'publishAdapter', [1n, h(1), ''], { from: stranger }),
      'NotModelOwner',
    );

    const engine = (fn: string, args: readonly unknown[], from?: string) =>
      d.send('AttributionEngine', c.AttributionEngine, fn, args, { from });
    await expectRevert(engine('setFeeSplit', [1000, 2000, 3000, 3001]), 'FeeSplitNotTotal');
    await expectRevert(engine('setFeeSplit', [10_000, 0, 0, 0], stranger), 'NotAdmin');
    const s = {
      inferenceId: h(1),
      modelId: 1n,
      payer: alice,
      fee: 100n,
      contributionIds: [1n, 2n],
      weightsPpm: [500_000, 500_000],
    };
    await expectRevert(engine('settle', [{ ...s, weightsPpm: [500_000, 400_000] }]), 'WeightsNotTotal');
    await expectRevert(engine('settle', [{ ...s, contributionIds: [1n, 1n] }]), 'DuplicateContribution');
    await expectRevert(engine('settle', [{ ...s, weightsPpm: [1_000_000] }]), 'AttributionLengthMismatch');
    await expectRevert(engine('settle', [{ ...s, modelId: 2n }]), 'UnknownModel');
    await expectRevert(engine('settle', [s], stranger), 'NotSettler');
    await engine('settle', [s]);
    await expectRevert(engine('settle', [s]), 'AlreadySettled');
    await expectRevert(
      engine('settleBatch', [
        [
          { ...s, inferenceId: h(2) },
          { ...s, inferenceId: h(2) },
        ],
      ]),
      'AlreadySettled',
    );

    await expectRevert(d.send('RewardVault', c.RewardVault, 'closeEpoch', [h(1), 1n], { from: stranger }), 'NotAdmin');
    await expectRevert(d.send('RewardVault', c.RewardVault, 'claim', [1n, 1n, []], { from: alice }), 'EpochNotClosed');
    await expectRevert(
      d.send('CreditManager', c.CreditManager, 'purchaseCreditsFor', [[alice], [2n]], { value: 1n }),
      'ValueMismatch',
    );
    await expectRevert(
      d.send('DatanetFactory', c.DatanetFactory, 'payCreationFees', [[h(1)], [alice], [2n]], { value: 3n }),
      'ValueMismatch',
    );
  }));

test('a StandardMerkleTree proof claims exactly once, pays the account, and a wrong amount is refused', () =>
  withDevnet(async (d) => {
    const vault = d.deployment.contracts.RewardVault;
    const [admin, alice, bob, carol] = d.node.accounts;
    const leaves: [string, bigint][] = [
      [alice, 5n * 10n ** 18n],
      [bob, 7n * 10n ** 18n],
      [carol, 1n],
    ];
    const tree = StandardMerkleTree.of(
      leaves.map(([a, v]) => [a, v.toString()]),
      ['address', 'uint256'],
    );
    const total = leaves.reduce((s, [, v]) => s + v, 0n);
    const [closed] = d.decodeLogs((await d.send('RewardVault', vault, 'closeEpoch', [tree.root, total])).logs);
    assert.deepEqual([closed.args.epoch, closed.args.merkleRoot, closed.args.totalAmount], [1n, tree.root, total]);
    assert.equal(await d.read('RewardVault', vault, 'currentEpoch'), 2n);
    const proof = (i: number) => tree.getProof(i) as Hex[];

    const before = await d.publicClient.getBalance({ address: alice as Address });
    const receipt = await d.send('RewardVault', vault, 'claimFor', [alice, 1n, leaves[0][1], proof(0)], {
      from: admin,
    });
    assert.equal(await d.publicClient.getBalance({ address: alice as Address }), before + leaves[0][1]);
    const [claimed] = d.decodeLogs(receipt.logs);
    assert.deepEqual(
      [claimed.eventName, claimed.args.epoch, lc(claimed.args.account), claimed.args.amount],
      ['RewardClaimed', 1n, alice, leaves[0][1]],
    );
    assert.equal(await d.read('RewardVault', vault, 'claimed', [1n, alice]), true);

    await expectRevert(
      d.send('RewardVault', vault, 'claim', [1n, leaves[0][1], proof(0)], { from: alice }),
      'AlreadyClaimed',
    );
    await expectRevert(
      d.send('RewardVault', vault, 'claim', [1n, leaves[1][1] + 1n, proof(1)], { from: bob }),
      'InvalidProof',
    );
    await expectRevert(d.send('RewardVault', vault, 'claim', [2n, 1n, []], { from: bob }), 'EpochNotClosed');
    const batch = d.decodeLogs(
      (
        await d.send('RewardVault', vault, 'claimBatch', [
          [bob, carol],
          [1n, 1n],
          [leaves[1][1], 1n],
          [proof(1), proof(2)],
        ])
      ).logs,
    );
    assert.deepEqual(
      batch.map((l) => lc(l.args.account)),
      [bob, carol],
    );
  }));
