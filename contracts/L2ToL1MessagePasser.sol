// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title L2ToL1MessagePasser (devnet mock of the OP Stack predeploy at 0x4200...0016)
/// @notice Same storage layout, hashing and event as contracts-bedrock: sentMessages is slot 0,
///         so viem's getWithdrawalHashStorageSlot works. Installed with hardhat_setCode:
///         constants only, storage starts at zero.
contract L2ToL1MessagePasser {
    uint256 public constant RECEIVE_DEFAULT_GAS_LIMIT = 100_000;
    uint16 public constant MESSAGE_VERSION = 1;

    mapping(bytes32 => bool) public sentMessages;
    uint240 internal msgNonce;

    event MessagePassed(
        uint256 indexed nonce,
        address indexed sender,
        address indexed target,
        uint256 value,
        uint256 gasLimit,
        bytes data,
        bytes32 withdrawalHash
    );

    receive() external payable {
        initiateWithdrawal(msg.sender, RECEIVE_DEFAULT_GAS_LIMIT, bytes(""));
    }

    /// @notice Starts a withdrawal to L1; msg.value is the native OPEN withdrawn.
    function initiateWithdrawal(address _target, uint256 _gasLimit, bytes memory _data) public payable {
        uint256 nonce = messageNonce();
        bytes32 withdrawalHash = keccak256(abi.encode(nonce, msg.sender, _target, msg.value, _gasLimit, _data));
        sentMessages[withdrawalHash] = true;
        emit MessagePassed(nonce, msg.sender, _target, msg.value, _gasLimit, _data, withdrawalHash);
        unchecked {
            ++msgNonce;
        }
    }

    /// @notice The next nonce, versioned: (MESSAGE_VERSION << 240) | msgNonce.
    function messageNonce() public view returns (uint256) {
        return (uint256(MESSAGE_VERSION) << 240) | uint256(msgNonce);
    }
}
