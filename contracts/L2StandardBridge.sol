// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IMintableToken {
    function bridge() external view returns (address);
    function remoteToken() external view returns (address);
    function mint(address to, uint256 amount) external;
    function burn(address from, uint256 amount) external;
}

interface IMessenger {
    function sendMessage(address _target, bytes calldata _message, uint32 _minGasLimit) external payable;
    function xDomainMessageSender() external view returns (address);
}

/// @title L2StandardBridge (devnet mock of the OP Stack predeploy at 0x4200...0010)
/// @notice ERC20 withdrawals and deposits of OptimismMintableERC20 tokens, with bedrock's events
///         in bedrock's order. Native OPEN is a custom gas token: the ETH paths revert.
///         Installed with hardhat_setCode: constants only, storage starts at zero.
contract L2StandardBridge {
    address public constant MESSENGER = 0x4200000000000000000000000000000000000007;
    address public constant OTHER_BRIDGE = 0x1100000000000000000000000000000000000010;
    address public constant LEGACY_ERC20_ETH = 0xDeadDeAddeAddEAddeadDEaDDEAdDeaDDeAD0000;

    event DepositFinalized(address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount, bytes extraData);
    event WithdrawalInitiated(address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount, bytes extraData);
    event ERC20BridgeInitiated(address indexed localToken, address indexed remoteToken, address indexed from, address to, uint256 amount, bytes extraData);
    event ERC20BridgeFinalized(address indexed localToken, address indexed remoteToken, address indexed from, address to, uint256 amount, bytes extraData);
    // Declared for the ABI only: never emitted, native OPEN does not move through this bridge.
    event ETHBridgeInitiated(address indexed from, address indexed to, uint256 amount, bytes extraData);
    event ETHBridgeFinalized(address indexed from, address indexed to, uint256 amount, bytes extraData);

    error CustomGasTokenNoValue();
    error NotMintableToken(address token);
    error WrongTokenPair(address localToken, address remoteToken);
    error OnlyOtherBridge();

    function withdraw(address _l2Token, uint256 _amount, uint32 _minGasLimit, bytes calldata _extraData) external payable {
        _initiateWithdrawal(_l2Token, msg.sender, msg.sender, _amount, _minGasLimit, _extraData);
    }

    function withdrawTo(address _l2Token, address _to, uint256 _amount, uint32 _minGasLimit, bytes calldata _extraData)
        external
        payable
    {
        _initiateWithdrawal(_l2Token, msg.sender, _to, _amount, _minGasLimit, _extraData);
    }

    /// @notice Completes an L1 -> L2 ERC20 deposit; only the messenger relaying the L1 bridge.
    function finalizeBridgeERC20(
        address _localToken,
        address _remoteToken,
        address _from,
        address _to,
        uint256 _amount,
        bytes calldata _extraData
    ) external {
        if (msg.sender != MESSENGER || IMessenger(MESSENGER).xDomainMessageSender() != OTHER_BRIDGE) {
            revert OnlyOtherBridge();
        }
        if (_remoteTokenOf(_localToken) != _remoteToken) revert WrongTokenPair(_localToken, _remoteToken);
        IMintableToken(_localToken).mint(_to, _amount);
        emit DepositFinalized(_remoteToken, _localToken, _from, _to, _amount, _extraData);
        emit ERC20BridgeFinalized(_localToken, _remoteToken, _from, _to, _amount, _extraData);
    }

    function _initiateWithdrawal(
        address _l2Token,
        address _from,
        address _to,
        uint256 _amount,
        uint32 _minGasLimit,
        bytes calldata _extraData
    ) private {
        if (msg.value != 0 || _l2Token == LEGACY_ERC20_ETH) revert CustomGasTokenNoValue();
        address l1Token = _remoteTokenOf(_l2Token);
        IMintableToken(_l2Token).burn(_from, _amount);
        emit WithdrawalInitiated(l1Token, _l2Token, _from, _to, _amount, _extraData);
        emit ERC20BridgeInitiated(_l2Token, l1Token, _from, _to, _amount, _extraData);
        IMessenger(MESSENGER).sendMessage(
            OTHER_BRIDGE,
            abi.encodeWithSelector(this.finalizeBridgeERC20.selector, l1Token, _l2Token, _from, _to, _amount, _extraData),
            _minGasLimit
        );
    }

    /// @dev The L1 token of one of our OptimismMintableERC20s; reverts for any other address.
    function _remoteTokenOf(address token) private view returns (address) {
        if (token.code.length == 0) revert NotMintableToken(token);
        try IMintableToken(token).bridge() returns (address b) {
            if (b != address(this)) revert NotMintableToken(token);
        } catch {
            revert NotMintableToken(token);
        }
        return IMintableToken(token).remoteToken();
    }
}
