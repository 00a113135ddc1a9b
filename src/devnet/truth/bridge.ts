/**
 * OP Stack withdrawal hashing (PROTOCOL.md section 6), computed from the simulator's own
 * parameters: withdrawalHash = keccak256(abi.encode(nonce, sender, target, value, gasLimit, data)).
 */
import { encodeAbiParameters, encodeFunctionData, keccak256, parseAbi, size, type Hex } from 'viem';

/** Bedrock's versioned message nonce: (1 << 240) | n. */
export function versionedNonce(n: bigint): bigint {
  return (1n << 240n) | n;
}

export interface WithdrawalTransaction {
  nonce: bigint;
  sender: string;
  target: string;
  value: bigint;
  gasLimit: bigint;
  data: Hex;
}

/** keccak256(abi.encode(nonce, sender, target, value, gasLimit, data)). */
export function computeWithdrawalHash(w: WithdrawalTransaction): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'uint256' },
        { type: 'address' },
        { type: 'address' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'bytes' },
      ],
      [w.nonce, w.sender as Hex, w.target as Hex, w.value, w.gasLimit, w.data],
    ),
  );
}

const L2_MESSENGER = '0x4200000000000000000000000000000000000007';
const L2_BRIDGE = '0x4200000000000000000000000000000000000010';
/** The L1 counterparts baked into the devnet's predeploy mocks (OTHER_MESSENGER, OTHER_BRIDGE). */
const L1_MESSENGER = '0x1100000000000000000000000000000000000007';
const L1_BRIDGE = '0x1100000000000000000000000000000000000010';

const RELAY_ABI = parseAbi([
  'function relayMessage(uint256 nonce, address sender, address target, uint256 value, uint256 minGasLimit, bytes message)',
  'function finalizeBridgeERC20(address localToken, address remoteToken, address from, address to, uint256 amount, bytes extraData)',
]);

/** Bedrock's pre-Prague CrossDomainMessenger.baseGas(message, minGasLimit). */
export function messengerBaseGas(message: Hex, minGasLimit: bigint): bigint {
  return 200_000n + BigInt(size(message)) * 16n + (minGasLimit * 64n) / 63n + 40_000n + 40_000n + 5_000n;
}

export interface Erc20Withdrawal {
  /** Counter of L2ToL1MessagePasser messages before this one (unversioned). */
  passerCount: bigint;
  /** Counter of L2CrossDomainMessenger sent messages before this one (unversioned). */
  messengerCount: bigint;
  l1Token: string;
  l2Token: string;
  from: string;
  to: string;
  amount: bigint;
  minGasLimit: bigint;
  extraData: Hex;
}

/** The MessagePassed of an ERC20 withdrawal (bridge -> messenger -> passer) as parameters. */
export function erc20WithdrawalTransaction(w: Erc20Withdrawal): WithdrawalTransaction {
  const message = encodeFunctionData({
    abi: RELAY_ABI,
    functionName: 'finalizeBridgeERC20',
    args: [w.l1Token as Hex, w.l2Token as Hex, w.from as Hex, w.to as Hex, w.amount, w.extraData],
  });
  const data = encodeFunctionData({
    abi: RELAY_ABI,
    functionName: 'relayMessage',
    args: [versionedNonce(w.messengerCount), L2_BRIDGE, L1_BRIDGE, 0n, w.minGasLimit, message],
  });
  return {
    nonce: versionedNonce(w.passerCount),
    sender: L2_MESSENGER,
    target: L1_MESSENGER,
    value: 0n,
    gasLimit: messengerBaseGas(message, w.minGasLimit),
    data,
  };
}
