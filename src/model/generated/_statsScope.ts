export enum StatsScope {
    GLOBAL = "GLOBAL",
    DATANET = "DATANET",
    MODEL = "MODEL",
    TOKEN = "TOKEN",
}
