/**
 * Scenario sizes. `small` runs in seconds (tests), `medium` in well under a minute (the demo),
 * `large` emits at least 1,000,000 events from the configured contracts (the benchmark).
 */

export const SCENARIO_NAMES = ['small', 'medium', 'large'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioPlan {
  name: ScenarioName;
  /** Datanets created during setup. */
  datanets: number;
  /** Keyed accounts owning Datanets (the first one also contributes and owns a model). */
  datanetOwners: number;
  /** Keyed validator accounts; each Datanet enables `validatorsPerDatanet` of them. */
  validators: number;
  validatorsPerDatanet: number;
  /** Contributors with keys (send their own transactions) and relayer-only contributor addresses. */
  keyedContributors: number;
  syntheticContributors: number;
  /** Keyed accounts paying for inferences, buying credits and bridging. */
  payers: number;
  models: number;
  modelOwners: number;
  /** Epochs closed during the scenario; one more is left open. */
  epochs: number;
  /** The closed epoch whose posted root is deliberately wrong. */
  wrongEpoch: number;
  contributionsPerEpoch: number;
  inferencesPerEpoch: number;
  /** Largest attribution (number of contributions) of one inference. */
  maxAttributions: number;
  bridgeTransfersPerEpoch: number;
  creditPurchasesPerEpoch: number;
  /** Interleaving steps per epoch (submissions, reviews and settlements alternate). */
  slices: number;
  /** Share of actions sent as individual transactions (the rest go through batch entry points). */
  directShare: number;
  /** Share of the leaves of each correctly rooted epoch that get claimed. */
  claimShare: number;
  /** Transactions per block (hardhat mines them together; more blocks make a more realistic chain). */
  txsPerBlock: number;
  /** Items per batch transaction. */
  batch: { submit: number; review: number; settle: number; settleAttributions: number; claim: number };
  /**
   * Chain time between two blocks: seconds drawn uniformly from [min, max], plus now and then (chance
   * `gapChance`) a quiet gap of `gapSeconds`, so the chain spans several UTC hours and days with some
   * empty hours (the stats buckets have something to show and to zero-fill).
   */
  blockTime: { min: number; max: number; gapChance: number; gapSeconds: number };
  /** The ground truth keeps every payment and claim for the per-block payout history (off for large: millions of entries). */
  payoutLedger: boolean;
}

const BATCH = { submit: 250, review: 600, settle: 120, settleAttributions: 240, claim: 40 };

export const SCENARIO_PLANS: Record<ScenarioName, ScenarioPlan> = {
  small: {
    name: 'small',
    datanets: 8,
    datanetOwners: 6,
    validators: 12,
    validatorsPerDatanet: 3,
    keyedContributors: 40,
    syntheticContributors: 0,
    payers: 20,
    models: 5,
    modelOwners: 4,
    epochs: 4,
    wrongEpoch: 2,
    contributionsPerEpoch: 100,
    inferencesPerEpoch: 60,
    maxAttributions: 20,
    bridgeTransfersPerEpoch: 4,
    creditPurchasesPerEpoch: 6,
    slices: 4,
    directShare: 0.5,
    claimShare: 0.6,
    txsPerBlock: 6,
    batch: { submit: 12, review: 15, settle: 8, settleAttributions: 120, claim: 5 },
    blockTime: { min: 60, max: 900, gapChance: 0.03, gapSeconds: 4 * 3600 },
    payoutLedger: true,
  },
  medium: {
    name: 'medium',
    datanets: 40,
    datanetOwners: 20,
    validators: 30,
    validatorsPerDatanet: 3,
    keyedContributors: 100,
    syntheticContributors: 300,
    payers: 30,
    models: 20,
    modelOwners: 10,
    epochs: 6,
    wrongEpoch: 3,
    contributionsPerEpoch: 720,
    inferencesPerEpoch: 430,
    maxAttributions: 20,
    bridgeTransfersPerEpoch: 30,
    creditPurchasesPerEpoch: 30,
    slices: 6,
    directShare: 0.15,
    claimShare: 0.6,
    txsPerBlock: 20,
    batch: { submit: 40, review: 60, settle: 25, settleAttributions: 200, claim: 20 },
    blockTime: { min: 10, max: 120, gapChance: 0.005, gapSeconds: 3 * 3600 },
    payoutLedger: true,
  },
  large: {
    name: 'large',
    datanets: 200,
    datanetOwners: 60,
    validators: 40,
    validatorsPerDatanet: 4,
    keyedContributors: 40,
    syntheticContributors: 5000,
    payers: 30,
    models: 50,
    modelOwners: 20,
    epochs: 8,
    wrongEpoch: 4,
    contributionsPerEpoch: 30_000,
    inferencesPerEpoch: 30_000,
    maxAttributions: 20,
    bridgeTransfersPerEpoch: 40,
    creditPurchasesPerEpoch: 40,
    slices: 10,
    directShare: 0.001,
    claimShare: 0.5,
    txsPerBlock: 20,
    batch: BATCH,
    blockTime: { min: 2, max: 12, gapChance: 0.001, gapSeconds: 2 * 3600 },
    payoutLedger: false,
  },
};

/** The plan of a named scenario, with a clear error for unknown names. */
export function scenarioPlan(name: string): ScenarioPlan {
  if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown scenario "${name}": use one of ${SCENARIO_NAMES.join(', ')}`);
  }
  return SCENARIO_PLANS[name as ScenarioName];
}
