// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CreditManager
/// @notice Inference credits bought with native OPEN, as the mainnet contract's event shows
///         (PROTOCOL.md section 7). The paid coin stays in the contract.
contract CreditManager {
    uint256 public constant CREDITS_PER_OPEN = 1000;

    event CreditPurchased(address indexed user, uint256 amountPaid, uint256 creditAmount);

    error LengthMismatch();
    error ValueMismatch(uint256 expected, uint256 sent);

    function purchaseCredits() external payable {
        emit CreditPurchased(msg.sender, msg.value, creditsFor(msg.value));
    }

    /// @notice Batch purchase paid by the caller: amounts must sum to msg.value.
    function purchaseCreditsFor(address[] calldata users, uint256[] calldata amounts) external payable {
        if (users.length != amounts.length) revert LengthMismatch();
        uint256 total;
        for (uint256 i; i < users.length; ++i) {
            total += amounts[i];
            emit CreditPurchased(users[i], amounts[i], creditsFor(amounts[i]));
        }
        if (total != msg.value) revert ValueMismatch(total, msg.value);
    }

    function creditsFor(uint256 amountPaid) public pure returns (uint256) {
        return amountPaid * CREDITS_PER_OPEN / 1e18;
    }
}
