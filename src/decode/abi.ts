import fs from 'node:fs';
import path from 'node:path';
import { decodeAbiParameters, toEventSelector, type AbiEvent, type AbiParameter, type Hex } from 'viem';
import type { ContractName } from '../devnet/types';

/** The repository's `abi/` folder (this file runs from `lib/decode`). */
export const ABI_DIR = path.resolve(__dirname, '../../abi');

/** An ABI event prepared for fast decoding: selector and split inputs computed once. */
export interface PreparedEvent {
  contract: ContractName;
  name: string;
  topic0: Hex;
  indexed: AbiParameter[];
  data: AbiParameter[];
  /** Input names in declaration order, with where each comes from. */
  order: { name: string; indexed: boolean; index: number }[];
}

/** Reads `abi/<contract>.json` (events only). */
export function readAbi(contract: ContractName): AbiEvent[] {
  const file = path.join(ABI_DIR, `${contract}.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as AbiEvent[]).filter((x) => x.type === 'event');
}

/** Prepares every event of a contract's ABI for decoding. */
export function prepareEvents(contract: ContractName): PreparedEvent[] {
  return readAbi(contract).map((ev) => {
    const indexed: AbiParameter[] = [];
    const data: AbiParameter[] = [];
    const order = ev.inputs.map((input) => {
      const list = input.indexed ? indexed : data;
      list.push(input);
      return { name: input.name ?? '', indexed: !!input.indexed, index: list.length - 1 };
    });
    return { contract, name: ev.name, topic0: toEventSelector(ev), indexed, data, order };
  });
}

const DYNAMIC = /^(string|bytes|.*\[\d*\]|tuple.*)$/;

/**
 * Decodes a log's topics and data into named raw values (bigint, lowercase address, hex, bool, string, arrays).
 * Throws when the log does not fit the event (wrong topic count, short data).
 */
export function decodeRaw(ev: PreparedEvent, topics: readonly string[], data: string): Record<string, unknown> {
  if (topics.length !== ev.indexed.length + 1) {
    throw new Error(`${ev.name}: expected ${ev.indexed.length + 1} topics, got ${topics.length}`);
  }
  const dataValues = ev.data.length ? decodeAbiParameters(ev.data, data as Hex) : [];
  const out: Record<string, unknown> = {};
  for (const o of ev.order) {
    if (o.indexed) {
      const param = ev.indexed[o.index];
      const topic = topics[o.index + 1] as Hex;
      // Indexed dynamic values are stored as their hash: keep the hash.
      const v = DYNAMIC.test(param.type) ? topic : decodeAbiParameters([param], topic)[0];
      out[o.name] = param.type === 'address' ? (v as string).toLowerCase() : v;
    } else {
      const v = dataValues[o.index];
      out[o.name] = ev.data[o.index].type === 'address' ? (v as string).toLowerCase() : v;
    }
  }
  return out;
}
