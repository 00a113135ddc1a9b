/**
 * Test helpers for the devnet contracts: a fresh node + deployment per test, typed contract
 * calls from unlocked accounts, and revert assertions by custom error name.
 */
import assert from 'node:assert/strict';
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeEventLog,
  type Abi,
  type Address,
  type Hex,
  type Log,
  type TransactionReceipt,
} from 'viem';
import { startHardhatNode, type HardhatNode } from './chain';
import { compileContracts, getArtifact, type CompiledContracts } from './compile';
import { confirmTransaction, createDevnetClients, deployAll, type DevnetClients } from './deploy';
import type { Deployment } from './types';

export interface TestDevnet extends DevnetClients {
  node: HardhatNode;
  deployment: Deployment;
  artifacts: CompiledContracts;
  /** Sends a contract call from `from` (default account 0) and returns the successful receipt. */
  send(
    contract: string,
    address: string,
    fn: string,
    args: readonly unknown[],
    opts?: SendOptions,
  ): Promise<TransactionReceipt>;
  /** Reads a view function. */
  read<T = unknown>(contract: string, address: string, fn: string, args?: readonly unknown[]): Promise<T>;
  /** Decodes a receipt's logs against every compiled ABI: [{address, eventName, args}]. */
  decodeLogs(logs: readonly Log[]): DecodedLog[];
}

export interface SendOptions {
  from?: string;
  value?: bigint;
}

export interface DecodedLog {
  address: string;
  eventName: string;
  args: Record<string, unknown>;
}

/** Runs `fn` against a fresh hardhat node (free port) with every contract deployed, then stops it. */
export async function withDevnet<T>(
  fn: (devnet: TestDevnet) => Promise<T>,
  options: { accounts?: number } = {},
): Promise<T> {
  const node = await startHardhatNode({ port: 0, accounts: options.accounts ?? 10 });
  try {
    const artifacts = compileContracts();
    const { deployment } = await deployAll({ rpcUrl: node.rpcUrl, artifacts });
    const clients = createDevnetClients(node.rpcUrl, { chainId: deployment.chainId });
    const abiOf = (name: string): Abi => getArtifact(artifacts, name).abi;
    const allEvents = Object.values(artifacts).flatMap((a) => a.abi.filter((i) => i.type === 'event'));
    const devnet: TestDevnet = {
      ...clients,
      node,
      deployment,
      artifacts,
      async send(contract, address, fn, args, opts = {}) {
        const hash = await clients.walletClient.writeContract({
          abi: abiOf(contract),
          address: address as Address,
          functionName: fn,
          args,
          account: (opts.from ?? node.accounts[0]) as Address,
          value: opts.value,
        });
        return confirmTransaction(clients.publicClient, hash);
      },
      async read<R>(contract: string, address: string, fn: string, args: readonly unknown[] = []) {
        return (await clients.publicClient.readContract({
          abi: abiOf(contract),
          address: address as Address,
          functionName: fn,
          args,
        })) as R;
      },
      decodeLogs(logs) {
        return logs.map((log) => {
          const decoded = decodeEventLog({ abi: allEvents, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
          return {
            address: log.address.toLowerCase(),
            eventName: decoded.eventName as string,
            args: decoded.args as unknown as Record<string, unknown>,
          };
        });
      },
    };
    return await fn(devnet);
  } finally {
    await node.stop();
  }
}

/** Asserts that `promise` fails with the contract's custom error `errorName`. */
export async function expectRevert(promise: Promise<unknown>, errorName: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    const reverted = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    const got = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
    assert.equal(got, errorName, `expected revert ${errorName}, got ${got ?? (err as Error).message.split('\n')[0]}`);
    return;
  }
  assert.fail(`expected revert ${errorName}, but the call succeeded`);
}
