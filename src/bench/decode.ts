/**
 * `node lib/bench/decode.js`: decodes synthetic AttributionRecorded, InferenceSettled and ContributionSubmitted
 * logs (a third each, shaped like the devnet scenarios) with the fast decoder and with viem, and prints µs per
 * log for each. Prints figures; asserts nothing (src/decode/fastDecode.test.ts checks that both paths agree).
 *
 * Options: --logs N (200000), --seed N (1), --rounds N (3; the best round is reported).
 */
import { isDeepStrictEqual } from 'node:util';
import { encodeAbiParameters, type Hex } from 'viem';
import { decodeRaw, decodeRawViem, prepareEvents, type PreparedEvent } from '../decode/abi';
import { createPrng, type Prng } from '../devnet/scenario/prng';

interface Log {
  ev: PreparedEvent;
  topics: string[];
  data: string;
}

type Decode = (ev: PreparedEvent, topics: readonly string[], data: string) => Record<string, unknown>;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const topic = (value: bigint | string, type: string): string => encodeAbiParameters([{ type }], [value]);
const address = (prng: Prng): Hex => `0x${prng.bytes32().slice(26)}`;

function event(contract: 'AttributionEngine' | 'DatanetRegistry', name: string): PreparedEvent {
  const ev = prepareEvents(contract).find((e) => e.name === name);
  if (!ev) throw new Error(`no event ${contract}.${name}`);
  return ev;
}

/** Synthetic logs: attributions of 1..20 contributions (mostly few), fees and sizes of realistic magnitude. */
function makeLogs(count: number, seed: number): Log[] {
  const prng = createPrng(seed);
  const attribution = event('AttributionEngine', 'AttributionRecorded');
  const settled = event('AttributionEngine', 'InferenceSettled');
  const submitted = event('DatanetRegistry', 'ContributionSubmitted');
  const logs: Log[] = [];
  for (let i = 0; i < count; i++) {
    const id = BigInt(prng.int(1, 200_000));
    switch (i % 3) {
      case 0: {
        const k = 1 + Math.floor(19 * prng.next() ** 3);
        const ids = Array.from({ length: k }, () => BigInt(prng.int(1, 200_000)));
        const weights = Array.from({ length: k }, () => prng.int(1, 1_000_000));
        const data = encodeAbiParameters(attribution.data, [ids, weights]);
        logs.push({ ev: attribution, topics: [attribution.topic0, prng.bytes32()], data });
        break;
      }
      case 1: {
        const topics = [settled.topic0, prng.bytes32(), topic(id, 'uint256'), topic(address(prng), 'address')];
        const data = encodeAbiParameters(settled.data, [prng.bigint(10n ** 12n, 10n ** 20n), BigInt(prng.int(0, 500))]);
        logs.push({ ev: settled, topics, data });
        break;
      }
      default: {
        const hash = prng.bytes32();
        const topics = [submitted.topic0, topic(id, 'uint256'), topic(BigInt(prng.int(1, 50)), 'uint256')];
        topics.push(topic(address(prng), 'address'));
        const uri = `ipfs://bafy${hash.slice(2, 18)}`;
        const data = encodeAbiParameters(submitted.data, [hash, BigInt(prng.int(1, 1 << 30)), uri]);
        logs.push({ ev: submitted, topics, data });
      }
    }
  }
  return logs;
}

/** µs per log of the fastest of `rounds` passes over `logs`. */
function time(decode: Decode, logs: readonly Log[], rounds: number): number {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (const log of logs) sink += Object.keys(decode(log.ev, log.topics, log.data)).length;
    best = Math.min(best, performance.now() - started);
  }
  if (sink === 0) throw new Error('nothing decoded');
  return (best * 1000) / logs.length;
}

function main(): void {
  const count = arg('logs', 200_000);
  const rounds = arg('rounds', 3);
  const logs = makeLogs(count, arg('seed', 1));
  for (const log of logs.slice(0, 3000)) {
    if (!isDeepStrictEqual(decodeRaw(log.ev, log.topics, log.data), decodeRawViem(log.ev, log.topics, log.data))) {
      throw new Error(`the paths disagree on ${log.ev.name} ${JSON.stringify(log.data)}`);
    }
  }
  const fmt = (us: number) => `${us.toFixed(2).padStart(6)} µs/log`;
  const lines = [`decoding ${count.toLocaleString('en-US')} logs (best of ${rounds})`];
  for (const name of ['AttributionRecorded', 'InferenceSettled', 'ContributionSubmitted', null]) {
    const subset = name ? logs.filter((l) => l.ev.name === name) : logs;
    const viem = time(decodeRawViem, subset, rounds);
    const fast = time(decodeRaw, subset, rounds);
    const label = (name ?? 'all').padEnd(22);
    lines.push(`  ${label} viem ${fmt(viem)}   fast ${fmt(fast)}   x${(viem / fast).toFixed(1)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
