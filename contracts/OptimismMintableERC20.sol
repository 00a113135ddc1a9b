// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title OptimismMintableERC20 (devnet mock)
/// @notice An L2 representation of an L1 ERC20 that only the L2StandardBridge mints and burns.
contract OptimismMintableERC20 {
    address public constant BRIDGE = 0x4200000000000000000000000000000000000010;
    uint8 public constant decimals = 18;

    address public immutable remoteToken;
    string public name;
    string public symbol;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error OnlyBridge(address caller);
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    constructor(address remoteToken_, string memory name_, string memory symbol_) {
        remoteToken = remoteToken_;
        name = name_;
        symbol = symbol_;
    }

    modifier onlyBridge() {
        if (msg.sender != BRIDGE) revert OnlyBridge(msg.sender);
        _;
    }

    function bridge() external pure returns (address) {
        return BRIDGE;
    }

    /// @notice Legacy alias of remoteToken().
    function l1Token() external view returns (address) {
        return remoteToken;
    }

    function mint(address to, uint256 amount) external onlyBridge {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function burn(address from, uint256 amount) external onlyBridge {
        _debit(from, amount);
        totalSupply -= amount;
        emit Transfer(from, address(0), amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert InsufficientAllowance(msg.sender, allowed, amount);
            allowance[from][msg.sender] = allowed - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        _debit(from, amount);
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    function _debit(address from, uint256 amount) private {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance(from, balance, amount);
        balanceOf[from] = balance - amount;
    }
}
