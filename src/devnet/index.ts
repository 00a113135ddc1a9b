/** The devnet: hardhat node, reference contracts, seeded traffic simulator and its ground truth. */
export { startDevnet, groundTruthFileFor } from './scenario/devnet';
export type { Devnet, DevnetScenario, StartDevnetParameters } from './scenario/devnet';
export { runScenario, startScenario, simulateTraffic } from './scenario/run';
export type {
  RunScenarioParameters,
  ScenarioSession,
  SimulateTrafficParameters,
  SimulateTrafficReturnType,
} from './scenario/run';
export { SCENARIO_NAMES, SCENARIO_PLANS, scenarioPlan } from './scenario/plans';
export { FIRST_SPLIT, SECOND_SPLIT, WRONG_ROOT_DELTA } from './scenario/traffic';
export { startLiveTraffic } from './scenario/live';
export type { LiveTraffic } from './scenario/live';
export type { ScenarioName, ScenarioPlan } from './scenario/plans';
export { createTruthModel } from './truth/model';
export { computeGroundTruth } from './truth/snapshot';
export { computeEpochTree, createEpochProver } from './truth/merkle';
export { computeWithdrawalHash } from './truth/bridge';
export { CONTRACT_NAMES } from './types';
export type { ContractName, Deployment, GroundTruth, TruthStatsBucket } from './types';
export { startHardhatNode, DEVNET_CHAIN_ID } from './chain';
export type { HardhatNode, StartHardhatNodeParameters } from './chain';
export { deployAll, createDevnetClients } from './deploy';
export { compileContracts } from './compile';
