// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IDatanetCount {
    function datanetCount() external view returns (uint256);
}

/// @title ModelRegistry
/// @notice Models trained on Datanets and their published adapters (PROTOCOL.md section 2).
contract ModelRegistry {
    event ModelRegistered(uint256 indexed modelId, address indexed owner, string name, uint256[] datanetIds);
    event AdapterPublished(uint256 indexed modelId, uint32 indexed version, bytes32 weightsHash, string uri);

    error UnknownDatanet(uint256 datanetId);
    error NotModelOwner(uint256 modelId, address caller);

    address public immutable datanetRegistry;
    uint256 public modelCount;
    mapping(uint256 => address) public modelOwner;
    mapping(uint256 => uint32) public adapterCount;

    constructor(address datanetRegistry_) {
        datanetRegistry = datanetRegistry_;
    }

    function registerModel(string calldata name, uint256[] calldata datanetIds) external returns (uint256 modelId) {
        uint256 datanets = IDatanetCount(datanetRegistry).datanetCount();
        for (uint256 i; i < datanetIds.length; ++i) {
            if (datanetIds[i] == 0 || datanetIds[i] > datanets) revert UnknownDatanet(datanetIds[i]);
        }
        modelId = ++modelCount;
        modelOwner[modelId] = msg.sender;
        emit ModelRegistered(modelId, msg.sender, name, datanetIds);
    }

    function publishAdapter(uint256 modelId, bytes32 weightsHash, string calldata uri) external returns (uint32 version) {
        if (modelOwner[modelId] != msg.sender) revert NotModelOwner(modelId, msg.sender);
        version = ++adapterCount[modelId];
        emit AdapterPublished(modelId, version, weightsHash, uri);
    }
}
