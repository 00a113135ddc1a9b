export enum StatsInterval {
    HOUR = "HOUR",
    DAY = "DAY",
}
