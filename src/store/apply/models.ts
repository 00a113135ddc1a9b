import type { AdapterPublished, ModelRegistered } from '../../decode/events';
import { Adapter, Model, ModelDatanet } from '../../model';
import type { BatchState } from '../state';

/** ModelRegistered: a model and its links to the Datanets it was trained on. */
export function applyModelRegistered(s: BatchState, { args, loc }: ModelRegistered): void {
  const id = args.modelId.toString();
  if (s.models.get(id)) {
    s.anomaly('DUPLICATE_MODEL', `model ${id} registered twice`, loc);
    return;
  }
  s.account(args.owner, loc.blockNumber);
  const model = s.models.put(
    new Model({
      id,
      modelId: args.modelId,
      owner: args.owner,
      name: args.name,
      datanetIds: args.datanetIds.map(String),
      adapterCount: 0,
      latestAdapterVersion: null,
      inferenceCount: 0,
      totalFees: 0n,
      ownerEarned: 0n,
      contributorsEarned: 0n,
      datanetOwnersEarned: 0n,
      protocolEarned: 0n,
      createdAtBlock: loc.blockNumber,
      createdAt: new Date(loc.timestamp),
      createdTxHash: loc.txHash,
    }),
  );
  for (const datanetId of new Set(args.datanetIds.map(String))) {
    const datanet = s.datanets.get(datanetId);
    if (!datanet) {
      // The registry checks this; a link to an unknown Datanet is kept in datanetIds only.
      s.anomaly('UNKNOWN_DATANET', `model ${id} names unknown Datanet ${datanetId}`, loc);
      continue;
    }
    s.modelDatanets.add(new ModelDatanet({ id: `${id}-${datanetId}`, model, datanet }));
  }
  const p = s.protocol;
  p.modelCount++;
  s.protocolTable.touch(p);
}

/** AdapterPublished: a new adapter version of a model. */
export function applyAdapterPublished(s: BatchState, { args, loc }: AdapterPublished): void {
  const model = s.models.get(args.modelId.toString());
  if (!model) {
    s.anomaly('UNKNOWN_MODEL', `adapter for unknown model ${args.modelId}`, loc);
    return;
  }
  model.adapterCount++;
  model.latestAdapterVersion = Math.max(model.latestAdapterVersion ?? 0, args.version);
  s.models.touch(model);
  s.adapters.add(
    new Adapter({
      id: `${model.id}-${args.version}`,
      model,
      version: args.version,
      weightsHash: args.weightsHash,
      uri: args.uri,
      blockNumber: loc.blockNumber,
      timestamp: new Date(loc.timestamp),
      txHash: loc.txHash,
    }),
  );
}
