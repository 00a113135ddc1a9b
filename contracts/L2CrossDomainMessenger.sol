// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IL2ToL1MessagePasser {
    function initiateWithdrawal(address _target, uint256 _gasLimit, bytes calldata _data) external payable;
}

/// @title L2CrossDomainMessenger (devnet mock of the OP Stack predeploy at 0x4200...0007)
/// @notice Hashing, gas figure and events as in contracts-bedrock. On the devnet anyone may call
///         relayMessage (it stands in for the aliased L1 messenger). OpenLedger's gas token is
///         custom, so messages carry no native value (as in bedrock's custom-gas-token mode).
///         Installed with hardhat_setCode: constants only, storage starts at zero.
contract L2CrossDomainMessenger {
    address public constant OTHER_MESSENGER = 0x1100000000000000000000000000000000000007;
    address public constant MESSAGE_PASSER = 0x4200000000000000000000000000000000000016;
    uint16 public constant MESSAGE_VERSION = 1;
    uint64 public constant RELAY_CONSTANT_OVERHEAD = 200_000;
    uint64 public constant MIN_GAS_DYNAMIC_OVERHEAD_NUMERATOR = 64;
    uint64 public constant MIN_GAS_DYNAMIC_OVERHEAD_DENOMINATOR = 63;
    uint64 public constant MIN_GAS_CALLDATA_OVERHEAD = 16;
    uint64 public constant RELAY_CALL_OVERHEAD = 40_000;
    uint64 public constant RELAY_RESERVED_GAS = 40_000;
    uint64 public constant RELAY_GAS_CHECK_BUFFER = 5_000;

    /// @notice One L1 -> L2 message, as relayMessage takes it (for relayMessages batches).
    struct Message {
        uint256 nonce;
        address sender;
        address target;
        uint256 value;
        uint256 minGasLimit;
        bytes message;
    }

    mapping(bytes32 => bool) public successfulMessages;
    mapping(bytes32 => bool) public failedMessages;
    address internal xDomainMsgSender;
    uint240 internal msgNonce;

    event SentMessage(address indexed target, address sender, bytes message, uint256 messageNonce, uint256 gasLimit);
    event SentMessageExtension1(address indexed sender, uint256 value);
    event RelayedMessage(bytes32 indexed msgHash);
    event FailedRelayedMessage(bytes32 indexed msgHash);

    error CustomGasTokenNoValue();
    error MessageAlreadyRelayed(bytes32 msgHash);
    error UnsafeTarget(address target);
    error NoMessageBeingRelayed();

    /// @notice Sends a message to L1 through the L2ToL1MessagePasser.
    function sendMessage(address _target, bytes calldata _message, uint32 _minGasLimit) external payable {
        if (msg.value != 0) revert CustomGasTokenNoValue();
        uint256 nonce = messageNonce();
        IL2ToL1MessagePasser(MESSAGE_PASSER).initiateWithdrawal(
            OTHER_MESSENGER,
            baseGas(_message, _minGasLimit),
            abi.encodeWithSignature(
                "relayMessage(uint256,address,address,uint256,uint256,bytes)",
                nonce,
                msg.sender,
                _target,
                msg.value,
                uint256(_minGasLimit),
                _message
            )
        );
        emit SentMessage(_target, msg.sender, _message, nonce, _minGasLimit);
        emit SentMessageExtension1(msg.sender, msg.value);
        unchecked {
            ++msgNonce;
        }
    }

    /// @notice Delivers one L1 -> L2 message (a deposit): calls _target with _message as _sender.
    function relayMessage(
        uint256 _nonce,
        address _sender,
        address _target,
        uint256 _value,
        uint256 _minGasLimit,
        bytes calldata _message
    ) external payable {
        if (msg.value != 0 || _value != 0) revert CustomGasTokenNoValue();
        _relay(Message(_nonce, _sender, _target, _value, _minGasLimit, _message));
    }

    /// @notice Devnet helper: relays several L1 -> L2 messages in one transaction.
    function relayMessages(Message[] calldata _messages) external payable {
        if (msg.value != 0) revert CustomGasTokenNoValue();
        for (uint256 i; i < _messages.length; ++i) {
            if (_messages[i].value != 0) revert CustomGasTokenNoValue();
            _relay(_messages[i]);
        }
    }

    /// @notice The L1 sender of the message being relayed; reverts outside a relay.
    function xDomainMessageSender() external view returns (address) {
        if (xDomainMsgSender == address(0)) revert NoMessageBeingRelayed();
        return xDomainMsgSender;
    }

    /// @notice The next nonce, versioned: (MESSAGE_VERSION << 240) | msgNonce.
    function messageNonce() public view returns (uint256) {
        return (uint256(MESSAGE_VERSION) << 240) | uint256(msgNonce);
    }

    /// @notice Gas the L1 relay needs for a message (bedrock's pre-Prague formula).
    function baseGas(bytes calldata _message, uint32 _minGasLimit) public pure returns (uint64) {
        return RELAY_CONSTANT_OVERHEAD + (uint64(_message.length) * MIN_GAS_CALLDATA_OVERHEAD)
            + ((_minGasLimit * MIN_GAS_DYNAMIC_OVERHEAD_NUMERATOR) / MIN_GAS_DYNAMIC_OVERHEAD_DENOMINATOR)
            + RELAY_CALL_OVERHEAD + RELAY_RESERVED_GAS + RELAY_GAS_CHECK_BUFFER;
    }

    /// @notice Hashing.hashCrossDomainMessageV1: keccak256 of the relayMessage calldata.
    function hashMessage(Message memory m) public pure returns (bytes32) {
        return keccak256(
            abi.encodeWithSignature(
                "relayMessage(uint256,address,address,uint256,uint256,bytes)",
                m.nonce,
                m.sender,
                m.target,
                m.value,
                m.minGasLimit,
                m.message
            )
        );
    }

    function _relay(Message memory m) private {
        bytes32 msgHash = hashMessage(m);
        if (successfulMessages[msgHash]) revert MessageAlreadyRelayed(msgHash);
        if (m.target == address(this) || m.target == MESSAGE_PASSER) revert UnsafeTarget(m.target);
        xDomainMsgSender = m.sender;
        (bool success,) = m.target.call{value: m.value}(m.message);
        xDomainMsgSender = address(0);
        if (success) {
            successfulMessages[msgHash] = true;
            emit RelayedMessage(msgHash);
        } else {
            failedMessages[msgHash] = true;
            emit FailedRelayedMessage(msgHash);
        }
    }
}
