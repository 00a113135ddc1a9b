import type { ChainEvent } from '../decode/events';
import { dataHashKey } from '../domain/datanets';
import { AccountEpoch } from '../model';
import { bridgeTokenId } from './apply/bridge';
import { GLOBAL_ID, accountEpochId, datanetAccountId, datanetEpochId, modelEpochId } from './ids';
import type { BatchState } from './state';

/**
 * Loads, in a fixed number of queries, every row the batch's events will read: first the rows named
 * by the events, then the accounts they lead to (contributors, Datanet and model owners).
 */
export async function prefetch(
  s: BatchState,
  events: readonly ChainEvent[],
  transfers: readonly { account: string; l2Token: string }[],
): Promise<void> {
  const ids = {
    datanets: new Set<string>(),
    validators: new Set<string>(),
    contributions: new Set<string>(),
    hashes: new Set<string>(),
    models: new Set<string>(),
    epochs: new Set<string>(),
    inferences: new Set<string>(),
    accounts: new Set<string>(),
  };
  // A table that holds all its rows needs no ids (see Table.holdsAll); during a backfill from an empty
  // database that is most of them, and collecting ids for every attribution is then wasted work.
  const needContributions = !s.contributions.holdsAll();
  const needInferences = !s.inferences.holdsAll();
  for (const e of events) {
    switch (e.kind) {
      case 'DatanetCreated':
        ids.datanets.add(e.args.datanetId.toString());
        ids.accounts.add(e.args.owner);
        break;
      case 'DatanetStatusChanged':
        ids.datanets.add(e.args.datanetId.toString());
        break;
      case 'ValidatorSet':
        ids.datanets.add(e.args.datanetId.toString());
        ids.validators.add(`${e.args.datanetId}-${e.args.validator}`);
        break;
      case 'ContributionSubmitted':
        if (needContributions) ids.contributions.add(e.args.contributionId.toString());
        ids.datanets.add(e.args.datanetId.toString());
        ids.hashes.add(dataHashKey(e.args.datanetId, e.args.dataHash));
        ids.accounts.add(e.args.contributor);
        break;
      case 'ContributionReviewed':
        if (needContributions) ids.contributions.add(e.args.contributionId.toString());
        break;
      case 'ContributorSlashed':
        ids.datanets.add(e.args.datanetId.toString());
        ids.accounts.add(e.args.contributor);
        break;
      case 'ModelRegistered':
        ids.models.add(e.args.modelId.toString());
        ids.accounts.add(e.args.owner);
        for (const d of e.args.datanetIds) ids.datanets.add(d.toString());
        break;
      case 'AdapterPublished':
        ids.models.add(e.args.modelId.toString());
        break;
      case 'InferenceSettled':
        ids.inferences.add(e.args.inferenceId);
        ids.models.add(e.args.modelId.toString());
        ids.epochs.add(e.args.epoch.toString());
        ids.accounts.add(e.args.payer);
        break;
      case 'AttributionRecorded':
        if (needInferences) ids.inferences.add(e.args.inferenceId);
        if (needContributions) for (const c of e.args.contributionIds) ids.contributions.add(c.toString());
        break;
      case 'EpochClosed':
        ids.epochs.add(e.args.epoch.toString());
        break;
      case 'RewardClaimed':
        ids.epochs.add(e.args.epoch.toString());
        ids.accounts.add(e.args.account);
        break;
      default:
        break;
    }
  }
  const store = s.store;
  const [contributions, , , inferences] = await Promise.all([
    s.contributions.load(store, ids.contributions),
    s.dataHashFirst.load(store, ids.hashes),
    s.validators.load(store, ids.validators),
    s.inferences.load(store, ids.inferences),
    s.protocolTable.load(store, [GLOBAL_ID]),
    s.bridgeTokens.load(
      store,
      transfers.map((t) => bridgeTokenId(t.account, t.l2Token)),
    ),
    s.bridgeTokenTotals.load(
      store,
      transfers.map((t) => t.l2Token),
    ),
  ]);
  // Rows joined through relations become the batch's copies (or give way to copies already held).
  for (const c of contributions) {
    c.datanet = s.datanets.adopt(c.datanet);
    c.contributor = s.accounts.adopt(c.contributor);
  }
  for (const i of inferences) {
    ids.epochs.add(i.epoch.toString());
    if (i.model) ids.models.add(i.model.id);
  }
  const [datanets, models] = await Promise.all([
    s.datanets.load(store, ids.datanets),
    s.models.load(store, ids.models),
    s.epochs.load(store, ids.epochs),
  ]);
  for (const i of inferences) if (i.model) i.model = s.models.get(i.model.id) ?? i.model;
  for (const d of [...datanets, ...s.datanets.map.values()]) ids.accounts.add(d.owner);
  for (const m of models) ids.accounts.add(m.owner);
  await Promise.all([s.accounts.load(store, ids.accounts), loadEpochRows(s, events)]);
}

/**
 * Loads the per-epoch rows the batch may add to: every account row of an epoch that closes in the
 * batch (its tree is recomputed), the (epoch, account) rows of the accounts its inferences may pay or
 * that claim, and the (Datanet, epoch), (model, epoch) and (Datanet, contributor) rows its inferences touch.
 * Runs after contributions, Datanets and models are loaded.
 */
async function loadEpochRows(s: BatchState, events: readonly ChainEvent[]): Promise<void> {
  // Everything below only collects ids for these four tables (and the rows of closing epochs).
  if (
    s.accountEpochs.holdsAll() &&
    s.datanetEpochs.holdsAll() &&
    s.modelEpochs.holdsAll() &&
    s.datanetAccounts.holdsAll()
  )
    return;
  const closing = new Set<bigint>();
  const epochOf = new Map<string, bigint>();
  const submitted = new Map<string, { contributor: string; datanetId: string }>();
  // Datanets created and inferences settled in this batch; the others are looked up in the state.
  const createdOwner = new Map<string, string>();
  const ownerOf = (datanetId: string) => createdOwner.get(datanetId) ?? s.datanets.get(datanetId)?.owner;
  const modelOwnerOf = new Map<string, string>();
  const settledModel = new Map<string, string>();
  const inferenceEpoch = (id: string) => epochOf.get(id) ?? s.inferences.get(id)?.epoch;
  const inferenceModel = (id: string) => settledModel.get(id) ?? s.inferences.get(id)?.model?.id;
  const ids = new Set<string>();
  const datanetEpochs = new Set<string>();
  const modelEpochs = new Set<string>();
  const datanetAccounts = new Set<string>();
  for (const e of events) {
    switch (e.kind) {
      case 'EpochClosed':
        closing.add(e.args.epoch);
        break;
      case 'RewardClaimed':
        ids.add(accountEpochId(e.args.epoch, e.args.account));
        break;
      case 'DatanetCreated':
        createdOwner.set(e.args.datanetId.toString(), e.args.owner);
        break;
      case 'ModelRegistered': {
        // A model registered in this batch: its owner may already hold an accrual of the epoch.
        const id = e.args.modelId.toString();
        if (!modelOwnerOf.has(id)) modelOwnerOf.set(id, e.args.owner);
        break;
      }
      case 'ContributionSubmitted':
        submitted.set(e.args.contributionId.toString(), {
          contributor: e.args.contributor,
          datanetId: e.args.datanetId.toString(),
        });
        break;
      case 'InferenceSettled': {
        epochOf.set(e.args.inferenceId, e.args.epoch);
        const modelId = e.args.modelId.toString();
        const owner = s.models.get(modelId)?.owner ?? modelOwnerOf.get(modelId);
        if (owner) ids.add(accountEpochId(e.args.epoch, owner));
        modelEpochs.add(modelEpochId(modelId, e.args.epoch));
        settledModel.set(e.args.inferenceId, modelId);
        break;
      }
      case 'AttributionRecorded': {
        const epoch = inferenceEpoch(e.args.inferenceId);
        if (epoch === undefined) break;
        const modelId = inferenceModel(e.args.inferenceId);
        if (modelId) modelEpochs.add(modelEpochId(modelId, epoch));
        for (const cid of e.args.contributionIds) {
          const c = s.contributions.get(cid.toString());
          const who = c ? { contributor: c.contributor.id, datanetId: c.datanet.id } : submitted.get(cid.toString());
          if (!who) continue;
          ids.add(accountEpochId(epoch, who.contributor));
          datanetEpochs.add(datanetEpochId(who.datanetId, epoch));
          datanetAccounts.add(datanetAccountId(who.datanetId, who.contributor));
          const owner = ownerOf(who.datanetId);
          if (owner) ids.add(accountEpochId(epoch, owner));
        }
        break;
      }
      default:
        break;
    }
  }
  for (const epoch of closing) {
    for (const row of await s.store.find(AccountEpoch, { where: { epoch } })) s.accountEpochs.adopt(row);
  }
  const [dnRows, mRows, daRows] = await Promise.all([
    s.datanetEpochs.load(s.store, datanetEpochs),
    s.modelEpochs.load(s.store, modelEpochs),
    s.datanetAccounts.load(s.store, datanetAccounts),
    s.accountEpochs.load(s.store, ids),
  ]);
  // Rows joined through relations give way to the batch's copies.
  for (const r of dnRows) r.datanet = s.datanets.get(r.datanet.id) ?? r.datanet;
  for (const r of daRows) r.datanet = s.datanets.get(r.datanet.id) ?? r.datanet;
  for (const r of mRows) r.model = s.models.get(r.model.id) ?? r.model;
}
