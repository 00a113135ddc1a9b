import type { ContractName } from '../devnet/types';
import { decodeRaw, prepareEvents, type PreparedEvent } from './abi';
import type { ChainEvent, EventLocation } from './events';

/** A log as the decoder needs it. */
export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
}

/** The outcome of decoding one log: an event, nothing (not ours), or a reason it is malformed. */
export type DecodeResult = { ok: true; event: ChainEvent } | { ok: false; reason: string } | null;

/** A decoder bound to a set of contract addresses. */
export interface LogDecoder {
  /** topic0 values per configured address (for the processor's log request). */
  topicsByAddress: Map<string, string[]>;
  /** Decodes a log; null when its address or topic0 is not configured. */
  decode(log: RawLog, loc: EventLocation): DecodeResult;
}

/** Creates a decoder for the configured contracts (name -> lowercase address). */
export function createLogDecoder(contracts: Partial<Record<ContractName, string>>): LogDecoder {
  const byAddress = new Map<string, Map<string, PreparedEvent>>();
  const topicsByAddress = new Map<string, string[]>();
  for (const [name, address] of Object.entries(contracts)) {
    if (!address) continue;
    const addr = address.toLowerCase();
    const events = prepareEvents(name as ContractName);
    const map = byAddress.get(addr) ?? new Map<string, PreparedEvent>();
    for (const ev of events) map.set(ev.topic0, ev);
    byAddress.set(addr, map);
    topicsByAddress.set(addr, [...map.keys()]);
  }
  return {
    topicsByAddress,
    decode(log, loc) {
      const events = byAddress.get(log.address.toLowerCase());
      if (!events || log.topics.length === 0) return null;
      const ev = events.get(log.topics[0]);
      if (!ev) return null;
      try {
        const args = decodeRaw(ev, log.topics, log.data);
        return { ok: true, event: normalise(ev.name, args, loc) };
      } catch (err) {
        return { ok: false, reason: `malformed ${ev.contract}.${ev.name}: ${(err as Error).message.split('\n')[0]}` };
      }
    },
  };
}

/** Converts small integer fields to numbers (uint8/16/32 fit) and builds the typed event. */
function normalise(kind: string, args: Record<string, unknown>, loc: EventLocation): ChainEvent {
  const a = { ...args };
  switch (kind) {
    case 'DatanetStatusChanged':
      a.status = Number(a.status);
      break;
    case 'ContributionReviewed':
      a.qualityBps = Number(a.qualityBps);
      break;
    case 'AdapterPublished':
      a.version = Number(a.version);
      break;
    case 'FeeSplitSet':
      for (const k of ['protocolBps', 'modelOwnerBps', 'datanetOwnerBps', 'contributorsBps']) a[k] = Number(a[k]);
      break;
    case 'AttributionRecorded':
      a.weightsPpm = (a.weightsPpm as readonly (number | bigint)[]).map(Number);
      break;
  }
  return { kind, loc, args: a } as ChainEvent;
}
