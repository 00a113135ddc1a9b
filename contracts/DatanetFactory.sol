// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DatanetFactory
/// @notice Datanet creation fees, as the mainnet contract's event shows (PROTOCOL.md section 7).
///         transactionId uniqueness is not enforced (the mainnet rule is unknown).
contract DatanetFactory {
    event TransactionInitiated(bytes32 indexed transactionId, address indexed user, uint256 amount);

    error LengthMismatch();
    error ValueMismatch(uint256 expected, uint256 sent);

    function payCreationFee(bytes32 transactionId) external payable {
        emit TransactionInitiated(transactionId, msg.sender, msg.value);
    }

    /// @notice Relayer-style batch paid by the caller: amounts must sum to msg.value.
    function payCreationFees(bytes32[] calldata ids, address[] calldata users, uint256[] calldata amounts)
        external
        payable
    {
        if (ids.length != users.length || ids.length != amounts.length) revert LengthMismatch();
        uint256 total;
        for (uint256 i; i < ids.length; ++i) {
            total += amounts[i];
            emit TransactionInitiated(ids[i], users[i], amounts[i]);
        }
        if (total != msg.value) revert ValueMismatch(total, msg.value);
    }
}
