// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title RewardVault
/// @notice Per-epoch Merkle claims paid in native OPEN (PROTOCOL.md section 4). Leaves are
///         OpenZeppelin StandardMerkleTree leaves over ["address", "uint256"].
contract RewardVault {
    event EpochClosed(uint64 indexed epoch, bytes32 merkleRoot, uint256 totalAmount);
    event RewardClaimed(uint64 indexed epoch, address indexed account, uint256 amount);

    error NotAdmin(address caller);
    error EpochNotClosed(uint64 epoch);
    error AlreadyClaimed(uint64 epoch, address account);
    error InvalidProof(uint64 epoch, address account, uint256 amount);
    error PaymentFailed(address account, uint256 amount);
    error LengthMismatch();

    address public immutable admin;
    uint64 public currentEpoch;
    mapping(uint64 => bytes32) public epochRoot;
    mapping(uint64 => uint256) public epochTotal;
    mapping(uint64 => mapping(address => bool)) public claimed;

    constructor() {
        admin = msg.sender;
        currentEpoch = 1;
    }

    receive() external payable {}

    /// @notice Closes the current epoch with the root and total of its claim tree.
    function closeEpoch(bytes32 merkleRoot, uint256 totalAmount) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        uint64 epoch = currentEpoch;
        epochRoot[epoch] = merkleRoot;
        epochTotal[epoch] = totalAmount;
        currentEpoch = epoch + 1;
        emit EpochClosed(epoch, merkleRoot, totalAmount);
    }

    function claim(uint64 epoch, uint256 amount, bytes32[] calldata proof) external {
        _claim(msg.sender, epoch, amount, proof);
    }

    function claimFor(address account, uint64 epoch, uint256 amount, bytes32[] calldata proof) external {
        _claim(account, epoch, amount, proof);
    }

    function claimBatch(
        address[] calldata accounts,
        uint64[] calldata epochs,
        uint256[] calldata amounts,
        bytes32[][] calldata proofs
    ) external {
        uint256 n = accounts.length;
        if (epochs.length != n || amounts.length != n || proofs.length != n) revert LengthMismatch();
        for (uint256 i; i < n; ++i) {
            _claim(accounts[i], epochs[i], amounts[i], proofs[i]);
        }
    }

    function _claim(address account, uint64 epoch, uint256 amount, bytes32[] calldata proof) private {
        if (epoch == 0 || epoch >= currentEpoch) revert EpochNotClosed(epoch);
        if (claimed[epoch][account]) revert AlreadyClaimed(epoch, account);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        if (_processProof(proof, leaf) != epochRoot[epoch]) revert InvalidProof(epoch, account, amount);
        claimed[epoch][account] = true;
        emit RewardClaimed(epoch, account, amount);
        (bool ok,) = account.call{value: amount}("");
        if (!ok) revert PaymentFailed(account, amount);
    }

    /// @dev OpenZeppelin MerkleProof.processProof with commutative (sorted pair) keccak256.
    function _processProof(bytes32[] calldata proof, bytes32 leaf) private pure returns (bytes32 hash) {
        hash = leaf;
        for (uint256 i; i < proof.length; ++i) {
            bytes32 sibling = proof[i];
            hash = hash < sibling
                ? keccak256(abi.encodePacked(hash, sibling))
                : keccak256(abi.encodePacked(sibling, hash));
        }
    }
}
