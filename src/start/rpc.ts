import { fetchChainHead, fetchChainId } from '../util/rpc';
import { StartError, redactRpcUrl } from './errors';

export { fetchBlockHash, fetchChainHead, fetchChainId, rpcCall } from '../util/rpc';

/** Checks that RPC_URL answers and serves the expected chain; returns its chain id and head. */
export async function probeRpc(
  rpcUrl: string,
  expected?: { chainId: number; network: string },
): Promise<{ chainId: number; head: number }> {
  let chainId: number;
  let head: number;
  try {
    [chainId, head] = await Promise.all([fetchChainId(rpcUrl), fetchChainHead(rpcUrl)]);
  } catch (cause) {
    const why = (cause as Error)?.cause ?? cause;
    throw new StartError(
      `RPC_URL ${redactRpcUrl(rpcUrl)} does not answer JSON-RPC: ${(why as Error)?.message ?? why}\n` +
        '  check the URL and your network (or unset RPC_URL to run the local devnet)',
      { cause },
    );
  }
  if (expected && chainId !== expected.chainId) {
    throw new StartError(
      `RPC_URL ${redactRpcUrl(rpcUrl)} serves chain id ${chainId}, but NETWORK=${expected.network} is chain ${expected.chainId}\n` +
        '  set NETWORK to the chain behind RPC_URL, or point RPC_URL at the right chain',
    );
  }
  return { chainId, head };
}
