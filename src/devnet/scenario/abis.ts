/**
 * The contract functions the simulator calls, as human-readable ABIs (the Solidity signatures of
 * contracts/*.sol). Events are read from abi/*.json by the indexer, not here.
 */
import { parseAbi } from 'viem';

export const DATANET_REGISTRY_ABI = parseAbi([
  'function createDatanet(string name, string metadataURI) returns (uint256)',
  'function setDatanetStatus(uint256 datanetId, uint8 status)',
  'function setValidator(uint256 datanetId, address validator, bool enabled)',
  'function submitContribution(uint256 datanetId, bytes32 dataHash, uint64 sizeBytes, string uri) returns (uint256)',
  'function submitContributionsFor(address[] contributors, uint256[] datanetIds, bytes32[] dataHashes, uint64[] sizesBytes, string[] uris)',
  'function reviewContribution(uint256 contributionId, bool accepted, uint16 qualityBps)',
  'function reviewContributionsFor(address[] validators, uint256[] contributionIds, bool[] accepted, uint16[] qualityBps)',
  'function slashContributor(uint256 datanetId, address contributor, uint256 amount, bytes32 reason)',
  'function datanetCount() view returns (uint256)',
  'function contributionCount() view returns (uint256)',
]);

export const MODEL_REGISTRY_ABI = parseAbi([
  'function registerModel(string name, uint256[] datanetIds) returns (uint256)',
  'function publishAdapter(uint256 modelId, bytes32 weightsHash, string uri) returns (uint32)',
  'function modelCount() view returns (uint256)',
]);

export const ATTRIBUTION_ENGINE_ABI = parseAbi([
  'struct Settlement { bytes32 inferenceId; uint256 modelId; address payer; uint256 fee; uint256[] contributionIds; uint32[] weightsPpm; }',
  'function setFeeSplit(uint16 protocolBps, uint16 modelOwnerBps, uint16 datanetOwnerBps, uint16 contributorsBps)',
  'function settle(Settlement s)',
  'function settleBatch(Settlement[] s)',
  'function feeSplit() view returns (uint16 protocolBps, uint16 modelOwnerBps, uint16 datanetOwnerBps, uint16 contributorsBps)',
]);

export const REWARD_VAULT_ABI = parseAbi([
  'function currentEpoch() view returns (uint64)',
  'function closeEpoch(bytes32 merkleRoot, uint256 totalAmount)',
  'function claim(uint64 epoch, uint256 amount, bytes32[] proof)',
  'function claimFor(address account, uint64 epoch, uint256 amount, bytes32[] proof)',
  'function claimBatch(address[] accounts, uint64[] epochs, uint256[] amounts, bytes32[][] proofs)',
]);

export const CREDIT_MANAGER_ABI = parseAbi([
  'function purchaseCredits() payable',
  'function purchaseCreditsFor(address[] users, uint256[] amounts) payable',
]);

export const DATANET_FACTORY_ABI = parseAbi([
  'function payCreationFee(bytes32 transactionId) payable',
  'function payCreationFees(bytes32[] ids, address[] users, uint256[] amounts) payable',
]);

export const MESSAGE_PASSER_ABI = parseAbi([
  'function initiateWithdrawal(address target, uint256 gasLimit, bytes data) payable',
  'function messageNonce() view returns (uint256)',
]);

export const STANDARD_BRIDGE_ABI = parseAbi([
  'function withdraw(address l2Token, uint256 amount, uint32 minGasLimit, bytes extraData) payable',
  'function withdrawTo(address l2Token, address to, uint256 amount, uint32 minGasLimit, bytes extraData) payable',
  'function finalizeBridgeERC20(address localToken, address remoteToken, address from, address to, uint256 amount, bytes extraData)',
]);

export const MESSENGER_ABI = parseAbi([
  'struct Message { uint256 nonce; address sender; address target; uint256 value; uint256 minGasLimit; bytes message; }',
  'function relayMessage(uint256 nonce, address sender, address target, uint256 value, uint256 minGasLimit, bytes message) payable',
  'function relayMessages(Message[] messages) payable',
  'function messageNonce() view returns (uint256)',
]);

export const ERC20_ABI = parseAbi(['function balanceOf(address) view returns (uint256)']);
