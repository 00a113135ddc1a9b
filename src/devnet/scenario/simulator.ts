/**
 * The simulator's actions: each builds one transaction, queues it on the sender and applies the
 * same effect to the ground-truth model, in the same order as the chain will execute it.
 * Registry, model and settlement actions live here; fees and credits in payments.ts, epochs and
 * claims in vault-actions.ts, bridge traffic in bridge-actions.ts.
 */
import { encodeFunctionData, stringToHex, type Hex } from 'viem';
import type { Deployment } from '../types';
import type { TruthModel, DatanetStatusCode, SettlementInput } from '../truth/model';
import type { FeeSplit } from '../truth/rewards';
import { createEpochProver } from '../truth/merkle';
import { ATTRIBUTION_ENGINE_ABI, DATANET_REGISTRY_ABI, MODEL_REGISTRY_ABI } from './abis';
import { MULTICALL_BYTECODE } from './multicall';
import type { Tx, TxSender } from './sender';

/** Everything the simulator knows besides the truth model (plain data: structuredClone-able). */
export interface SimState {
  truth: TruthModel;
  /** L2ToL1MessagePasser and L2CrossDomainMessenger message counters (unversioned). */
  passerCount: bigint;
  messengerCount: bigint;
  /** Next L1 -> L2 messenger nonce used for deposits. */
  depositNonce: bigint;
  /** `${l2Token}:${account}` -> L2 token balance. */
  tokenBalances: Map<string, bigint>;
  /** The DevnetMulticall helper (null until deployed). */
  multicall: string | null;
}

export interface SubmissionItem {
  contributor: string;
  datanetId: bigint;
  dataHash: Hex;
  sizeBytes: bigint;
  uri: string;
}

export interface ReviewItem {
  validator: string;
  contributionId: bigint;
  accepted: boolean;
  qualityBps: number;
}

export interface ClaimItem {
  epoch: bigint;
  account: string;
}

/**
 * Gas limits, about twice what the calls were measured to use (a relayed submission ~28.5k, a
 * relayed review ~6.2k, a settlement ~27.5k plus ~3k per attribution). Too low a limit makes a
 * transaction revert, which fails the run loudly; too high only packs blocks less densely.
 */
export const GAS = {
  simple: 150_000n,
  submit: 150_000n,
  submitItem: 60_000n,
  reviewItem: 25_000n,
  settleBase: 90_000n,
  settleItem: 80_000n,
  settleAttribution: 12_000n,
  claimBase: 150_000n,
  claimItem: 110_000n,
  paymentItem: 20_000n,
  bridge: 400_000n,
  batchBase: 80_000n,
};

const balanceKey = (token: string, account: string) => `${token.toLowerCase()}:${account.toLowerCase()}`;

/** Sends the protocol's transactions and keeps the ground truth in step; see SimState. */
export class Simulator {
  readonly c: Deployment['contracts'];
  /** sender.stats.events already added to the truth's event count. */
  private counted = 0;
  /** Proof builders of closed epochs (derived from the truth, built once per epoch). */
  private readonly provers = new Map<bigint, (account: string) => string[]>();

  /** The sender every action uses (wrapped: see trackBlocks). */
  sender: TxSender;

  constructor(
    sender: TxSender,
    readonly deployment: Deployment,
    /** Account 0: admin, relayer, settler. */
    readonly admin: string,
    public state: SimState,
  ) {
    this.c = deployment.contracts;
    this.sender = this.trackBlocks(sender);
  }

  /**
   * Wraps a sender so that every transaction is announced to the truth (beginTx) before the
   * action applies its effects, and its block reported (txMined) once its receipt is in: the
   * truth's per-block history (reputation) needs the block of each input, and its stats buckets the
   * block's timestamp, which batch mode only knows after the block is mined. Actions apply their
   * effects right after queuing their transaction and nothing else is queued in between, so effects
   * land on the right transaction.
   */
  private trackBlocks(inner: TxSender): TxSender {
    return {
      mode: inner.mode,
      get stats() {
        return inner.stats;
      },
      send: (tx) => {
        // The truth of this moment: a fork gets its own truth and its own sender.
        const truth = this.truth;
        const seq = truth.beginTx();
        return inner.send({
          ...tx,
          onReceipt: (receipt) => {
            truth.txMined(seq, Number(receipt.blockNumber), receipt.blockTimestamp);
            tx.onReceipt?.(receipt);
          },
        });
      },
      flush: () => inner.flush(),
      close: () => inner.close(),
    };
  }

  get truth(): TruthModel {
    return this.state.truth;
  }

  /** Copies the sender's event count and head block into the truth (call after a flush). */
  syncStats(): void {
    this.truth.events += this.sender.stats.events - this.counted;
    this.counted = this.sender.stats.events;
    this.truth.headBlock = Math.max(this.truth.headBlock, this.sender.stats.headBlock);
  }

  /** Switches to another sender (e.g. from the scenario's batch sender to live automine). */
  attachSender(sender: TxSender): void {
    this.syncStats();
    this.sender = this.trackBlocks(sender);
    this.counted = sender.stats.events;
  }

  private send(tx: Tx): Promise<void> {
    return this.sender.send(tx);
  }

  /** Deploys the DevnetMulticall helper (needed for several withdrawals in one transaction). */
  async deployMulticall(): Promise<void> {
    await this.send({
      from: this.admin,
      to: null,
      data: MULTICALL_BYTECODE,
      gas: 500_000n,
      label: 'deploy DevnetMulticall',
      onReceipt: (r) => (this.state.multicall = r.contractAddress!.toLowerCase()),
    });
    await this.sender.flush();
  }

  /** createDatanet from its owner; returns the id. */
  async createDatanet(owner: string, name: string, metadataURI: string): Promise<bigint> {
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'createDatanet',
      args: [name, metadataURI],
    });
    await this.send({
      from: owner,
      to: this.c.DatanetRegistry,
      data,
      gas: GAS.simple + 40_000n,
      label: `createDatanet ${name}`,
    });
    return this.truth.datanetCreated(owner);
  }

  /** setDatanetStatus from the Datanet's owner. */
  async setDatanetStatus(datanetId: bigint, status: DatanetStatusCode): Promise<void> {
    const owner = this.truth.datanet(datanetId).owner;
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'setDatanetStatus',
      args: [datanetId, status],
    });
    await this.send({
      from: owner,
      to: this.c.DatanetRegistry,
      data,
      gas: GAS.simple,
      label: `setDatanetStatus ${datanetId} ${status}`,
    });
    this.truth.datanetStatusSet(datanetId, owner, status);
  }

  /** setValidator from the Datanet's owner. */
  async setValidator(datanetId: bigint, validator: string, enabled: boolean): Promise<void> {
    const owner = this.truth.datanet(datanetId).owner;
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'setValidator',
      args: [datanetId, validator as Hex, enabled],
    });
    await this.send({
      from: owner,
      to: this.c.DatanetRegistry,
      data,
      gas: GAS.simple,
      label: `setValidator ${datanetId}`,
    });
    this.truth.validatorSet(datanetId, owner, validator, enabled);
  }

  /** submitContribution from the contributor; returns the id. */
  async submit(item: SubmissionItem): Promise<bigint> {
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'submitContribution',
      args: [item.datanetId, item.dataHash, item.sizeBytes, item.uri],
    });
    await this.send({
      from: item.contributor,
      to: this.c.DatanetRegistry,
      data,
      gas: GAS.submit,
      label: 'submitContribution',
    });
    return this.truth.contributionSubmitted(item.datanetId, item.contributor, item.dataHash, item.sizeBytes);
  }

  /** submitContributionsFor by the relayer; returns the ids. */
  async submitBatch(items: SubmissionItem[]): Promise<bigint[]> {
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'submitContributionsFor',
      args: [
        items.map((i) => i.contributor as Hex),
        items.map((i) => i.datanetId),
        items.map((i) => i.dataHash),
        items.map((i) => i.sizeBytes),
        items.map((i) => i.uri),
      ],
    });
    const gas = GAS.batchBase + GAS.submitItem * BigInt(items.length);
    await this.send({
      from: this.admin,
      to: this.c.DatanetRegistry,
      data,
      gas,
      label: `submitContributionsFor x${items.length}`,
    });
    return items.map((i) => this.truth.contributionSubmitted(i.datanetId, i.contributor, i.dataHash, i.sizeBytes));
  }

  /** reviewContribution from the validator. */
  async review(item: ReviewItem): Promise<void> {
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'reviewContribution',
      args: [item.contributionId, item.accepted, item.qualityBps],
    });
    await this.send({
      from: item.validator,
      to: this.c.DatanetRegistry,
      data,
      gas: GAS.simple,
      label: `reviewContribution ${item.contributionId}`,
    });
    this.truth.contributionReviewed(item.contributionId, item.validator, item.accepted, item.qualityBps);
  }

  /** reviewContributionsFor by the relayer. */
  async reviewBatch(items: ReviewItem[]): Promise<void> {
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'reviewContributionsFor',
      args: [
        items.map((i) => i.validator as Hex),
        items.map((i) => i.contributionId),
        items.map((i) => i.accepted),
        items.map((i) => i.qualityBps),
      ],
    });
    const gas = GAS.batchBase + GAS.reviewItem * BigInt(items.length);
    await this.send({
      from: this.admin,
      to: this.c.DatanetRegistry,
      data,
      gas,
      label: `reviewContributionsFor x${items.length}`,
    });
    for (const i of items) this.truth.contributionReviewed(i.contributionId, i.validator, i.accepted, i.qualityBps);
  }

  /** slashContributor from the Datanet's owner. */
  async slash(datanetId: bigint, contributor: string, amount: bigint, reason: string): Promise<void> {
    const owner = this.truth.datanet(datanetId).owner;
    const data = encodeFunctionData({
      abi: DATANET_REGISTRY_ABI,
      functionName: 'slashContributor',
      args: [datanetId, contributor as Hex, amount, stringToHex(reason, { size: 32 })],
    });
    await this.send({
      from: owner,
      to: this.c.DatanetRegistry,
      data,
      gas: GAS.simple,
      label: `slashContributor ${contributor}`,
    });
    this.truth.contributorSlashed(datanetId, owner, contributor, amount);
  }

  /** registerModel from its owner; returns the id. */
  async registerModel(owner: string, name: string, datanetIds: bigint[]): Promise<bigint> {
    const data = encodeFunctionData({
      abi: MODEL_REGISTRY_ABI,
      functionName: 'registerModel',
      args: [name, datanetIds],
    });
    const gas = GAS.simple + 20_000n * BigInt(datanetIds.length);
    await this.send({ from: owner, to: this.c.ModelRegistry, data, gas, label: `registerModel ${name}` });
    return this.truth.modelRegistered(owner, datanetIds);
  }

  /** publishAdapter from the model's owner. */
  async publishAdapter(modelId: bigint, weightsHash: Hex, uri: string): Promise<void> {
    const owner = this.truth.models.get(modelId)!.owner;
    const data = encodeFunctionData({
      abi: MODEL_REGISTRY_ABI,
      functionName: 'publishAdapter',
      args: [modelId, weightsHash, uri],
    });
    await this.send({
      from: owner,
      to: this.c.ModelRegistry,
      data,
      gas: GAS.simple,
      label: `publishAdapter ${modelId}`,
    });
    this.truth.adapterPublished(modelId, owner);
  }

  /** setFeeSplit by the admin. */
  async setFeeSplit(split: FeeSplit): Promise<void> {
    const data = encodeFunctionData({
      abi: ATTRIBUTION_ENGINE_ABI,
      functionName: 'setFeeSplit',
      args: [split.protocolBps, split.modelOwnerBps, split.datanetOwnerBps, split.contributorsBps],
    });
    await this.send({ from: this.admin, to: this.c.AttributionEngine, data, gas: GAS.simple, label: 'setFeeSplit' });
    this.truth.feeSplitSet(split);
  }

  /** Settles inferences: `settle` (one per transaction) or `settleBatch` (all in one transaction). */
  async settle(settlements: SettlementInput[], mode: 'single' | 'batch'): Promise<void> {
    if (mode === 'single') {
      for (const s of settlements) await this.settleTx([s], false);
    } else {
      await this.settleTx(settlements, true);
    }
  }

  private async settleTx(settlements: SettlementInput[], batch: boolean): Promise<void> {
    const structs = settlements.map((s) => ({
      inferenceId: s.inferenceId as Hex,
      modelId: s.modelId,
      payer: s.payer as Hex,
      fee: s.fee,
      contributionIds: [...s.contributionIds],
      weightsPpm: [...s.weightsPpm],
    }));
    let gas = GAS.settleBase;
    for (const s of settlements) {
      const k = BigInt(s.contributionIds.length);
      gas += GAS.settleItem + GAS.settleAttribution * k + 60n * k * k;
    }
    const data = !batch
      ? encodeFunctionData({ abi: ATTRIBUTION_ENGINE_ABI, functionName: 'settle', args: [structs[0]] })
      : encodeFunctionData({ abi: ATTRIBUTION_ENGINE_ABI, functionName: 'settleBatch', args: [structs] });
    await this.send({
      from: this.admin,
      to: this.c.AttributionEngine,
      data,
      gas,
      label: `settle x${settlements.length}`,
    });
    for (const s of settlements) this.truth.inferenceSettled(s);
  }

  /** The proof builder of a closed epoch's expected tree (built once per epoch). */
  epochProver(epoch: bigint): (account: string) => string[] {
    let prover = this.provers.get(epoch);
    if (prover === undefined)
      this.provers.set(epoch, (prover = createEpochProver(this.truth.epochs.get(epoch)!.expected!)));
    return prover;
  }

  /** Credits an L2 token balance the simulator tracks (deposits mint, withdrawals burn). */
  adjustBalance(token: string, account: string, delta: bigint): void {
    const key = balanceKey(token, account);
    const next = (this.state.tokenBalances.get(key) ?? 0n) + delta;
    if (next < 0n) throw new Error(`simulator bug: ${account} would hold ${next} of ${token}`);
    this.state.tokenBalances.set(key, next);
  }

  /** The L2 token balance the simulator tracks. */
  balance(token: string, account: string): bigint {
    return this.state.tokenBalances.get(balanceKey(token, account)) ?? 0n;
  }
}
