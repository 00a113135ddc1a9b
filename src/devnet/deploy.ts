/**
 * Deploys the reference contracts on a devnet hardhat node from account 0, installs the three
 * OP Stack predeploy mocks with `hardhat_setCode`, funds the vault and grants account 0 the
 * relayer and settler roles.
 */
import { PREDEPLOYS } from '../config/networks';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  http,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
  type Chain,
  type HttpTransport,
  type Account,
} from 'viem';
import { compileContracts, getArtifact, type CompiledContracts } from './compile';
import { CONTRACT_NAMES, type ContractName, type Deployment } from './types';

/** The OP Stack predeploys mocked on the devnet, at their real addresses (the indexer's own constants). */
export { PREDEPLOYS };

/** Made-up L1 counterparts baked into the predeploy mocks (OTHER_MESSENGER, OTHER_BRIDGE). */
export const L1_CROSS_DOMAIN_MESSENGER: Address = '0x1100000000000000000000000000000000000007';
export const L1_STANDARD_BRIDGE: Address = '0x1100000000000000000000000000000000000010';

/** The bridged ERC20s deployed on the devnet (made-up L1 addresses). */
export const BRIDGED_TOKENS = [
  { symbol: 'USDC', name: 'USD Coin (bridged)', l1: '0x1100000000000000000000000000000000000101' },
  { symbol: 'WETH', name: 'Wrapped Ether (bridged)', l1: '0x1100000000000000000000000000000000000102' },
] as const;

/** Native coin the vault starts with (wei): 10^12 OPEN, far above any devnet payout. */
export const VAULT_FUNDING = 10n ** 30n;

/** viem clients for the devnet, with caching off and fast polling. */
export interface DevnetClients {
  chain: Chain;
  publicClient: PublicClient<HttpTransport, Chain>;
  walletClient: WalletClient<HttpTransport, Chain, Account | undefined>;
}

/** Creates viem public and wallet clients for a devnet node (`cacheTime: 0`, 50 ms polling). */
export function createDevnetClients(rpcUrl: string, options: { chainId?: number } = {}): DevnetClients {
  const { chainId = 901 } = options;
  const chain = defineChain({
    id: chainId,
    name: 'OpenLedger devnet',
    nativeCurrency: { name: 'Open', symbol: 'OPEN', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain, transport, cacheTime: 0, pollingInterval: 50 });
  const walletClient = createWalletClient({ chain, transport, cacheTime: 0, pollingInterval: 50 });
  return { chain, publicClient, walletClient };
}

/** Fetches the receipt of a mined transaction (automine) and throws if it reverted. */
export async function confirmTransaction(publicClient: PublicClient, hash: Hex): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20, retryCount: 50 });
  if (receipt.status !== 'success') {
    throw new Error(`transaction ${hash} reverted (block ${receipt.blockNumber}); replay it with eth_call to see why`);
  }
  return receipt;
}

export interface DeployAllParameters {
  rpcUrl: string;
  /** Deploying account (unlocked on the node). Default: the node's account 0. */
  deployer?: Address;
  /** Compiled contracts. Default: `compileContracts()`. */
  artifacts?: CompiledContracts;
}

export interface DeployAllReturnType {
  deployment: Deployment;
  artifacts: CompiledContracts;
}

/** Deploys every devnet contract and returns the addresses as a `Deployment`. */
export async function deployAll(params: DeployAllParameters): Promise<DeployAllReturnType> {
  const { rpcUrl } = params;
  const artifacts = params.artifacts ?? compileContracts();
  const probe = createDevnetClients(rpcUrl);
  const chainId = await probe.publicClient.getChainId();
  const { publicClient, walletClient } = createDevnetClients(rpcUrl, { chainId });
  const deployer = (params.deployer ?? (await walletClient.getAddresses())[0])?.toLowerCase() as Address | undefined;
  if (!deployer) throw new Error(`the node at ${rpcUrl} has no unlocked account to deploy from`);

  let startBlock: number | undefined;
  const deploy = async (name: string, args: readonly unknown[] = []): Promise<Address> => {
    const { abi, bytecode } = getArtifact(artifacts, name);
    const hash = await walletClient.deployContract({ abi, bytecode, args, account: deployer });
    const receipt = await confirmTransaction(publicClient, hash);
    if (!receipt.contractAddress) throw new Error(`deploying ${name} returned no contract address (tx ${hash})`);
    startBlock ??= Number(receipt.blockNumber);
    return receipt.contractAddress.toLowerCase() as Address;
  };
  const call = async (name: string, address: Address, functionName: string, args: readonly unknown[]) => {
    const { abi } = getArtifact(artifacts, name);
    const hash = await walletClient.writeContract({ abi, address, functionName, args, account: deployer });
    await confirmTransaction(publicClient, hash);
  };

  // Sent one at a time: hardhat automine cannot queue future nonces.
  const datanetRegistry = await deploy('DatanetRegistry');
  const modelRegistry = await deploy('ModelRegistry', [datanetRegistry]);
  const rewardVault = await deploy('RewardVault');
  const attributionEngine = await deploy('AttributionEngine', [modelRegistry, rewardVault]);
  const creditManager = await deploy('CreditManager');
  const datanetFactory = await deploy('DatanetFactory');
  const tokens: Deployment['tokens'] = {};
  for (const token of BRIDGED_TOKENS) {
    const l2 = await deploy('OptimismMintableERC20', [token.l1, token.name, token.symbol]);
    tokens[token.symbol] = { l2, l1: token.l1.toLowerCase() };
  }

  for (const [name, address] of Object.entries(PREDEPLOYS)) {
    await publicClient.request({
      method: 'hardhat_setCode' as never,
      params: [address, getArtifact(artifacts, name).deployedBytecode] as never,
    });
  }
  await publicClient.request({
    method: 'hardhat_setBalance' as never,
    params: [rewardVault, `0x${VAULT_FUNDING.toString(16)}`] as never,
  });
  await call('DatanetRegistry', datanetRegistry, 'setRelayer', [deployer, true]);
  await call('AttributionEngine', attributionEngine, 'setSettler', [deployer, true]);

  const contracts: Record<ContractName, string> = {
    DatanetRegistry: datanetRegistry,
    ModelRegistry: modelRegistry,
    AttributionEngine: attributionEngine,
    RewardVault: rewardVault,
    L2StandardBridge: PREDEPLOYS.L2StandardBridge,
    L2ToL1MessagePasser: PREDEPLOYS.L2ToL1MessagePasser,
    L2CrossDomainMessenger: PREDEPLOYS.L2CrossDomainMessenger,
    CreditManager: creditManager,
    DatanetFactory: datanetFactory,
  };
  for (const name of CONTRACT_NAMES) contracts[name] = contracts[name].toLowerCase();
  const deployment: Deployment = {
    chainId,
    startBlock: startBlock!,
    contracts,
    tokens,
    accounts: { deployer: [deployer] },
  };
  return { deployment, artifacts };
}

/** One L1 -> L2 message for `L2CrossDomainMessenger.relayMessage` / `relayMessages`. */
export interface RelayMessage {
  nonce: bigint;
  sender: Address;
  target: Address;
  value: bigint;
  minGasLimit: bigint;
  message: Hex;
}

export interface Erc20DepositMessageParameters {
  /** L1 messenger nonce; must be unique per deposit. Versioned like bedrock: (1 << 240) | n. */
  nonce: bigint;
  l1Token: Address;
  l2Token: Address;
  from: Address;
  to: Address;
  amount: bigint;
  extraData?: Hex;
  /** Default 200,000. */
  minGasLimit?: bigint;
  /** ABI of L2StandardBridge. Default: from `compileContracts()` (cached). */
  bridgeAbi?: Abi;
}

/** Builds the relayed message of an ERC20 deposit (L1 bridge -> L2StandardBridge.finalizeBridgeERC20). */
export function erc20DepositMessage(p: Erc20DepositMessageParameters): RelayMessage {
  const message = encodeFunctionData({
    abi: p.bridgeAbi ?? getArtifact(compileContracts(), 'L2StandardBridge').abi,
    functionName: 'finalizeBridgeERC20',
    args: [p.l2Token, p.l1Token, p.from, p.to, p.amount, p.extraData ?? '0x'],
  });
  return {
    nonce: p.nonce,
    sender: L1_STANDARD_BRIDGE,
    target: PREDEPLOYS.L2StandardBridge,
    value: 0n,
    minGasLimit: p.minGasLimit ?? 200_000n,
    message,
  };
}

/** Versioned cross-domain nonce, as bedrock encodes it: (1 << 240) | n. */
export function versionedNonce(n: bigint): bigint {
  return (1n << 240n) | n;
}
