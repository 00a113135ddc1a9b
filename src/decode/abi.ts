import fs from 'node:fs';
import path from 'node:path';
import { decodeAbiParameters, toEventSelector, type AbiEvent, type AbiParameter, type Hex } from 'viem';
import type { ContractName } from '../devnet/types';
import { compileFastPlan, decodeFast, INDEXED_AS_HASH, type FastPlan } from './fastDecode';

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
  /** The specialised decoder's plan, or null when an input type needs viem (see fastDecode.ts). */
  fast: FastPlan | null;
}

/** Reads `abi/<contract>.json` (events only). */
export function readAbi(contract: ContractName): AbiEvent[] {
  const file = path.join(ABI_DIR, `${contract}.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as AbiEvent[]).filter((x) => x.type === 'event');
}

/** Prepares every event of a contract's ABI for decoding. */
export function prepareEvents(contract: ContractName): PreparedEvent[] {
  return readAbi(contract).map((ev) => prepareEvent(contract, ev));
}

/** Prepares one event: selector, inputs split into indexed and data, and the fast decoder's plan. */
export function prepareEvent(contract: ContractName, ev: AbiEvent): PreparedEvent {
  const indexed: AbiParameter[] = [];
  const data: AbiParameter[] = [];
  const order = ev.inputs.map((input) => {
    const list = input.indexed ? indexed : data;
    list.push(input);
    return { name: input.name ?? '', indexed: !!input.indexed, index: list.length - 1 };
  });
  const fast = compileFastPlan(indexed, data, order);
  return { contract, name: ev.name, topic0: toEventSelector(ev), indexed, data, order, fast };
}

/**
 * Decodes a log's topics and data into named raw values (bigint, lowercase address, hex, bool, string, arrays).
 * Throws when the log does not fit the event (wrong topic count, short data, values out of range...).
 */
export function decodeRaw(ev: PreparedEvent, topics: readonly string[], data: string): Record<string, unknown> {
  checkTopicCount(ev, topics);
  return ev.fast ? decodeFast(ev.fast, topics, data) : decodeWithViem(ev, topics, data);
}

/** decodeRaw through viem only: the fallback for events without a fast plan, and the reference in tests. */
export function decodeRawViem(ev: PreparedEvent, topics: readonly string[], data: string): Record<string, unknown> {
  checkTopicCount(ev, topics);
  return decodeWithViem(ev, topics, data);
}

function checkTopicCount(ev: PreparedEvent, topics: readonly string[]): void {
  if (topics.length !== ev.indexed.length + 1) {
    throw new Error(`${ev.name}: expected ${ev.indexed.length + 1} topics, got ${topics.length}`);
  }
}

function decodeWithViem(ev: PreparedEvent, topics: readonly string[], data: string): Record<string, unknown> {
  const dataValues = ev.data.length ? decodeAbiParameters(ev.data, data as Hex) : [];
  const out: Record<string, unknown> = {};
  for (const o of ev.order) {
    if (o.indexed) {
      const param = ev.indexed[o.index];
      const topic = topics[o.index + 1] as Hex;
      // Indexed dynamic values are stored as their hash: keep the hash.
      out[o.name] = INDEXED_AS_HASH.test(param.type)
        ? topic
        : lowerAddresses(param, decodeAbiParameters([param], topic)[0]);
    } else {
      out[o.name] = lowerAddresses(ev.data[o.index], dataValues[o.index]);
    }
  }
  return out;
}

const ARRAY_TYPE = /^(.*)\[\d*\]$/;

/** viem checksums addresses: lowercase them wherever they sit (alone, in arrays, in tuples), as the fast path does. */
function lowerAddresses(param: AbiParameter, value: unknown): unknown {
  if (param.type === 'address') return (value as string).toLowerCase();
  const array = ARRAY_TYPE.exec(param.type);
  if (array) return (value as unknown[]).map((v) => lowerAddresses({ ...param, type: array[1] }, v));
  if (param.type === 'tuple' && 'components' in param) {
    const { components } = param;
    // viem gives an array for a tuple with an unnamed component, else an object keyed by component name.
    if (Array.isArray(value)) return value.map((v, i) => lowerAddresses(components[i], v));
    const named = value as Record<string, unknown>;
    return Object.fromEntries(components.map((c) => [c.name, lowerAddresses(c, named[c.name ?? ''])]));
  }
  return value;
}
