// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IModelCount {
    function modelCount() external view returns (uint256);
}

interface ICurrentEpoch {
    function currentEpoch() external view returns (uint64);
}

/// @title AttributionEngine
/// @notice Settles paid inferences with their Proof of Attribution (PROTOCOL.md section 3).
///         Fees are accounting only. Contributions are not checked here: the indexer decides
///         eligibility, so attributions to unknown or unaccepted ids are possible on purpose.
contract AttributionEngine {
    uint256 public constant BPS_TOTAL = 10_000;
    uint256 public constant WEIGHT_TOTAL_PPM = 1_000_000;

    struct Settlement {
        bytes32 inferenceId;
        uint256 modelId;
        address payer;
        uint256 fee;
        uint256[] contributionIds;
        uint32[] weightsPpm;
    }

    struct FeeSplit {
        uint16 protocolBps;
        uint16 modelOwnerBps;
        uint16 datanetOwnerBps;
        uint16 contributorsBps;
    }

    event FeeSplitSet(uint16 protocolBps, uint16 modelOwnerBps, uint16 datanetOwnerBps, uint16 contributorsBps);
    event InferenceSettled(bytes32 indexed inferenceId, uint256 indexed modelId, address indexed payer, uint256 fee, uint64 epoch);
    event AttributionRecorded(bytes32 indexed inferenceId, uint256[] contributionIds, uint32[] weightsPpm);

    error NotAdmin(address caller);
    error NotSettler(address caller);
    error FeeSplitNotTotal(uint256 sumBps);
    error AlreadySettled(bytes32 inferenceId);
    error UnknownModel(uint256 modelId);
    error AttributionLengthMismatch(bytes32 inferenceId);
    error DuplicateContribution(bytes32 inferenceId, uint256 contributionId);
    error WeightsNotTotal(bytes32 inferenceId, uint256 sumPpm);

    address public immutable admin;
    address public immutable modelRegistry;
    address public immutable rewardVault;
    FeeSplit public feeSplit;
    mapping(address => bool) public isSettler;
    mapping(bytes32 => bool) public settled;

    constructor(address modelRegistry_, address rewardVault_) {
        admin = msg.sender;
        modelRegistry = modelRegistry_;
        rewardVault = rewardVault_;
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    modifier onlySettler() {
        if (!isSettler[msg.sender]) revert NotSettler(msg.sender);
        _;
    }

    function setSettler(address settler, bool enabled) external onlyAdmin {
        isSettler[settler] = enabled;
    }

    function setFeeSplit(uint16 protocolBps, uint16 modelOwnerBps, uint16 datanetOwnerBps, uint16 contributorsBps)
        external
        onlyAdmin
    {
        uint256 sum = uint256(protocolBps) + modelOwnerBps + datanetOwnerBps + contributorsBps;
        if (sum != BPS_TOTAL) revert FeeSplitNotTotal(sum);
        feeSplit = FeeSplit(protocolBps, modelOwnerBps, datanetOwnerBps, contributorsBps);
        emit FeeSplitSet(protocolBps, modelOwnerBps, datanetOwnerBps, contributorsBps);
    }

    function settle(Settlement calldata s) external onlySettler {
        _settle(s, ICurrentEpoch(rewardVault).currentEpoch(), IModelCount(modelRegistry).modelCount());
    }

    function settleBatch(Settlement[] calldata s) external onlySettler {
        uint64 epoch = ICurrentEpoch(rewardVault).currentEpoch();
        uint256 models = IModelCount(modelRegistry).modelCount();
        for (uint256 i; i < s.length; ++i) {
            _settle(s[i], epoch, models);
        }
    }

    function _settle(Settlement calldata s, uint64 epoch, uint256 models) private {
        if (settled[s.inferenceId]) revert AlreadySettled(s.inferenceId);
        if (s.modelId == 0 || s.modelId > models) revert UnknownModel(s.modelId);
        settled[s.inferenceId] = true;
        emit InferenceSettled(s.inferenceId, s.modelId, s.payer, s.fee, epoch);
        uint256 n = s.contributionIds.length;
        if (n == 0 && s.weightsPpm.length == 0) return;
        _checkAttribution(s.inferenceId, s.contributionIds, s.weightsPpm);
        emit AttributionRecorded(s.inferenceId, s.contributionIds, s.weightsPpm);
    }

    function _checkAttribution(bytes32 inferenceId, uint256[] calldata ids, uint32[] calldata weights) private pure {
        uint256 n = ids.length;
        if (weights.length != n) revert AttributionLengthMismatch(inferenceId);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            sum += weights[i];
            for (uint256 j; j < i; ++j) {
                if (ids[j] == ids[i]) revert DuplicateContribution(inferenceId, ids[i]);
            }
        }
        if (sum != WEIGHT_TOTAL_PPM) revert WeightsNotTotal(inferenceId, sum);
    }
}
