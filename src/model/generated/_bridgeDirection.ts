export enum BridgeDirection {
    IN = "IN",
    OUT = "OUT",
}
