export enum BridgeAsset {
    NATIVE = "NATIVE",
    ERC20 = "ERC20",
}
