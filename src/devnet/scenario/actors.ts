/**
 * Who does what in a scenario: hardhat's unlocked accounts are cast into roles, and contributors
 * get a behaviour (careful, sloppy, spammer). Relayer-only contributors get made-up addresses.
 */
import { keccak256, toHex } from 'viem';
import type { ScenarioPlan } from './plans';
import type { Prng } from './prng';

export type Behaviour = 'careful' | 'sloppy' | 'spammer';

export interface Contributor {
  address: string;
  /** True when the node holds its key (it can send its own transactions). */
  keyed: boolean;
  behaviour: Behaviour;
  /** Indexes (0-based) into the scenario's Datanets this contributor prefers. */
  preferred: number[];
}

export interface Cast {
  /** Account 0: deployer, admin, relayer, settler. */
  admin: string;
  /** A Datanet owner that also contributes and owns a model. */
  multiRole: string;
  datanetOwners: string[];
  validators: string[];
  modelOwners: string[];
  contributors: Contributor[];
  payers: string[];
  /** Keyed accounts that bridge tokens (payers and some contributors). */
  bridgeUsers: string[];
}

/** Number of unlocked accounts a plan needs. */
export function accountsNeeded(plan: ScenarioPlan): number {
  return 1 + plan.datanetOwners + plan.validators + (plan.modelOwners - 1) + plan.keyedContributors + plan.payers;
}

const BEHAVIOURS: Behaviour[] = [
  'careful',
  'careful',
  'careful',
  'careful',
  'careful',
  'sloppy',
  'sloppy',
  'sloppy',
  'spammer',
  'spammer',
];

/** A relayer-only contributor address derived from the seed (nobody holds its key). */
export function syntheticAddress(seed: number, i: number): string {
  return `0x${keccak256(toHex(`openledger-devnet-contributor-${seed}-${i}`)).slice(-40)}`;
}

/** Casts the node's accounts into the plan's roles. */
export function castActors(plan: ScenarioPlan, accounts: readonly string[], seed: number, prng: Prng): Cast {
  const need = accountsNeeded(plan);
  if (accounts.length < need) {
    throw new Error(
      `scenario ${plan.name} needs ${need} unlocked accounts, the node has ${accounts.length}: start it with more accounts`,
    );
  }
  const acc = accounts.map((a) => a.toLowerCase());
  let next = 1;
  const take = (n: number) => acc.slice(next, (next += n));
  const datanetOwners = take(plan.datanetOwners);
  const multiRole = datanetOwners[0];
  const validators = take(plan.validators);
  const modelOwners = [multiRole, ...take(plan.modelOwners - 1)];
  const keyed = take(plan.keyedContributors);
  const payers = take(plan.payers);
  const behaviours = (n: number) =>
    prng.sample(
      Array.from({ length: n }, (_, i) => BEHAVIOURS[i % BEHAVIOURS.length]),
      n,
    );
  const preferred = () =>
    prng.sample(
      Array.from({ length: plan.datanets }, (_, i) => i),
      Math.min(plan.datanets, prng.int(1, 3)),
    );
  const keyedBehaviours = behaviours(keyed.length);
  const contributors: Contributor[] = [
    {
      address: multiRole,
      keyed: true,
      behaviour: 'careful',
      preferred: [0, ...preferred().filter((i) => i !== 0)].slice(0, 3),
    },
    ...keyed.map((address, i) => ({ address, keyed: true, behaviour: keyedBehaviours[i], preferred: preferred() })),
  ];
  const syntheticBehaviours = behaviours(plan.syntheticContributors);
  for (let i = 0; i < plan.syntheticContributors; i++) {
    contributors.push({
      address: syntheticAddress(seed, i),
      keyed: false,
      behaviour: syntheticBehaviours[i],
      preferred: preferred(),
    });
  }
  const bridgeUsers = [...payers, ...keyed.slice(0, Math.min(10, keyed.length))];
  return { admin: acc[0], multiRole, datanetOwners, validators, modelOwners, contributors, payers, bridgeUsers };
}
