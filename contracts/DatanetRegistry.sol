// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title DatanetRegistry
/// @notice Datanets, their validators, data contributions and reviews (PROTOCOL.md section 1).
///         Duplicate data hashes are accepted on purpose: the indexer detects them.
contract DatanetRegistry {
    uint8 public constant ACTIVE = 0;
    uint8 public constant PAUSED = 1;
    uint8 public constant CLOSED = 2;
    uint16 public constant MAX_QUALITY_BPS = 10_000;

    struct Datanet {
        address owner;
        uint8 status;
    }

    event DatanetCreated(uint256 indexed datanetId, address indexed owner, string name, string metadataURI);
    event DatanetStatusChanged(uint256 indexed datanetId, uint8 status);
    event ValidatorSet(uint256 indexed datanetId, address indexed validator, bool enabled);
    event ContributionSubmitted(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 dataHash,
        uint64 sizeBytes,
        string uri
    );
    event ContributionReviewed(uint256 indexed contributionId, address indexed validator, bool accepted, uint16 qualityBps);
    event ContributorSlashed(uint256 indexed datanetId, address indexed contributor, uint256 amount, bytes32 reason);

    error NotAdmin(address caller);
    error NotRelayer(address caller);
    error NotDatanetOwner(uint256 datanetId, address caller);
    error UnknownDatanet(uint256 datanetId);
    error DatanetNotActive(uint256 datanetId, uint8 status);
    error InvalidStatus(uint8 status);
    error UnknownContribution(uint256 contributionId);
    error NotValidator(uint256 datanetId, address account);
    error QualityOutOfRange(uint16 qualityBps);
    error LengthMismatch();

    address public immutable admin;
    uint256 public datanetCount;
    uint256 public contributionCount;
    mapping(address => bool) public isRelayer;
    mapping(uint256 => Datanet) private _datanets;
    mapping(uint256 => mapping(address => bool)) public isValidator;
    mapping(uint256 => uint256) public contributionDatanet;

    constructor() {
        admin = msg.sender;
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    modifier onlyRelayer() {
        if (!isRelayer[msg.sender]) revert NotRelayer(msg.sender);
        _;
    }

    modifier onlyDatanetOwner(uint256 datanetId) {
        if (_datanets[datanetId].owner != msg.sender) revert NotDatanetOwner(datanetId, msg.sender);
        _;
    }

    function setRelayer(address relayer, bool enabled) external onlyAdmin {
        isRelayer[relayer] = enabled;
    }

    function createDatanet(string calldata name, string calldata metadataURI) external returns (uint256 datanetId) {
        datanetId = ++datanetCount;
        _datanets[datanetId] = Datanet(msg.sender, ACTIVE);
        emit DatanetCreated(datanetId, msg.sender, name, metadataURI);
    }

    function setDatanetStatus(uint256 datanetId, uint8 status) external onlyDatanetOwner(datanetId) {
        if (status > CLOSED) revert InvalidStatus(status);
        _datanets[datanetId].status = status;
        emit DatanetStatusChanged(datanetId, status);
    }

    function setValidator(uint256 datanetId, address validator, bool enabled) external onlyDatanetOwner(datanetId) {
        isValidator[datanetId][validator] = enabled;
        emit ValidatorSet(datanetId, validator, enabled);
    }

    function submitContribution(uint256 datanetId, bytes32 dataHash, uint64 sizeBytes, string calldata uri)
        external
        returns (uint256 contributionId)
    {
        return _submit(msg.sender, datanetId, dataHash, sizeBytes, uri);
    }

    /// @notice Gasless relayer batch: item i is submitted on behalf of contributors[i].
    function submitContributionsFor(
        address[] calldata contributors,
        uint256[] calldata datanetIds,
        bytes32[] calldata dataHashes,
        uint64[] calldata sizesBytes,
        string[] calldata uris
    ) external onlyRelayer {
        uint256 n = contributors.length;
        if (datanetIds.length != n || dataHashes.length != n || sizesBytes.length != n || uris.length != n) {
            revert LengthMismatch();
        }
        for (uint256 i; i < n; ++i) {
            _submit(contributors[i], datanetIds[i], dataHashes[i], sizesBytes[i], uris[i]);
        }
    }

    function reviewContribution(uint256 contributionId, bool accepted, uint16 qualityBps) external {
        _review(msg.sender, contributionId, accepted, qualityBps);
    }

    /// @notice Relayer batch: item i is a review signed off by validators[i].
    function reviewContributionsFor(
        address[] calldata validators,
        uint256[] calldata contributionIds,
        bool[] calldata accepted,
        uint16[] calldata qualityBps
    ) external onlyRelayer {
        uint256 n = validators.length;
        if (contributionIds.length != n || accepted.length != n || qualityBps.length != n) revert LengthMismatch();
        for (uint256 i; i < n; ++i) {
            _review(validators[i], contributionIds[i], accepted[i], qualityBps[i]);
        }
    }

    function slashContributor(uint256 datanetId, address contributor, uint256 amount, bytes32 reason)
        external
        onlyDatanetOwner(datanetId)
    {
        emit ContributorSlashed(datanetId, contributor, amount, reason);
    }

    function datanetOwner(uint256 datanetId) external view returns (address) {
        return _datanets[datanetId].owner;
    }

    function datanetStatus(uint256 datanetId) external view returns (uint8) {
        return _datanets[datanetId].status;
    }

    function _submit(address contributor, uint256 datanetId, bytes32 dataHash, uint64 sizeBytes, string calldata uri)
        private
        returns (uint256 contributionId)
    {
        Datanet storage d = _datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
        if (d.status != ACTIVE) revert DatanetNotActive(datanetId, d.status);
        contributionId = ++contributionCount;
        contributionDatanet[contributionId] = datanetId;
        emit ContributionSubmitted(contributionId, datanetId, contributor, dataHash, sizeBytes, uri);
    }

    function _review(address validator, uint256 contributionId, bool accepted, uint16 qualityBps) private {
        uint256 datanetId = contributionDatanet[contributionId];
        if (datanetId == 0) revert UnknownContribution(contributionId);
        if (!isValidator[datanetId][validator]) revert NotValidator(datanetId, validator);
        if (qualityBps > MAX_QUALITY_BPS) revert QualityOutOfRange(qualityBps);
        emit ContributionReviewed(contributionId, validator, accepted, qualityBps);
    }
}
