import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { encodeAbiParameters, getAddress, parseAbiItem, type AbiEvent, type AbiParameter, type Hex } from 'viem';
import { createPrng, type Prng } from '../devnet/scenario/prng';
import type { ContractName } from '../devnet/types';
import { ABI_DIR, decodeRaw, decodeRawViem, prepareEvent, prepareEvents, type PreparedEvent } from './abi';
import { INDEXED_AS_HASH } from './fastDecode';

/** Every event of every abi/*.json file. */
const ABI_EVENTS: PreparedEvent[] = fs
  .readdirSync(ABI_DIR)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => prepareEvents(path.basename(f, '.json') as ContractName));

/** Types no ABI uses today but the fast decoder supports. */
const EXTRA_EVENTS = [
  'event Ints(int8 a, int16 indexed b, int24 c, int48 d, int56 e, int64 f, int128 g, int256 h, uint24 i, uint48 j, uint56 k, uint l)',
  'event Fixed(bytes1 a, bytes4 indexed b, bytes20 c, bytes31 d, bytes e, bool indexed f, bool g, address h)',
  'event Arrays(address[] a, bool[] b, bytes32[] c, int64[] d, uint8[] e, bytes4[] f, uint48[] g, int256[] h)',
  'event Hashed(string indexed s, bytes indexed b, uint256[] indexed u, string plain)',
  'event Unnamed(uint256, address indexed, string)',
  'event OneString(string s)',
].map(synthetic);

/** Types left to viem. */
const FALLBACK_EVENTS = [
  'event Tuple((address owner, uint256[] ids) info, address who)',
  'event Pair(uint256[2] pair)',
  'event Grid(uint256[][] grid)',
  'event Names(string[] names)',
].map(synthetic);

function synthetic(signature: string): PreparedEvent {
  return prepareEvent('DatanetRegistry', parseAbiItem(signature) as AbiEvent);
}

function eventNamed(name: string): PreparedEvent {
  const ev = [...ABI_EVENTS, ...EXTRA_EVENTS].find((e) => e.name === name);
  assert.ok(ev, `no event ${name}`);
  return ev;
}

// ---------------------------------------------------------------------------------------------------------------
// Random values, biased to edges

const STRING_PIECES = ['a', 'ipfs://QmYwAPJzv5CZsnA', 'é', 'naïve café', '中文', '🚀', '\u0000', '\uFEFF', ' ', 'Z'];

function randomHex(prng: Prng, bytes: number): Hex {
  let hex = '';
  for (let i = 0; i < bytes; i++) hex += prng.int(0, 255).toString(16).padStart(2, '0');
  return `0x${hex}`;
}

function randomLength(prng: Prng): number {
  return prng.pick([0, 0, 1, 2, prng.int(0, 12), prng.int(30, 80)]);
}

function randomString(prng: Prng): string {
  if (prng.chance(0.1)) return '';
  if (prng.chance(0.05)) return 'x'.repeat(prng.int(200, 700));
  let s = '';
  for (let i = prng.int(1, 20); i > 0; i--) s += prng.pick(STRING_PIECES);
  return s;
}

function randomInt(prng: Prng, signed: boolean, bits: number): number | bigint {
  const max = (1n << BigInt(signed ? bits - 1 : bits)) - 1n;
  const min = signed ? -max - 1n : 0n;
  const small = prng.bigint(0n, (1n << BigInt(prng.int(1, signed ? bits - 1 : bits))) - 1n);
  const v = prng.pick([0n, 1n, max, max - 1n, min, signed ? -1n : 1n, small, signed ? -small : small]);
  return bits <= 48 ? Number(v) : v;
}

function randomValue(prng: Prng, param: AbiParameter): unknown {
  const { type } = param;
  const array = /^(.+)\[(\d*)\]$/.exec(type);
  if (array) {
    const length = array[2] ? Number(array[2]) : randomLength(prng);
    return Array.from({ length }, () => randomValue(prng, { ...param, type: array[1] }));
  }
  if (type === 'tuple' && 'components' in param) {
    return Object.fromEntries(param.components.map((c) => [c.name, randomValue(prng, c)]));
  }
  if (type === 'address') {
    const a = prng.pick([`0x${'0'.repeat(40)}`, `0x${'f'.repeat(40)}`, randomHex(prng, 20), randomHex(prng, 20)]);
    return prng.chance(0.5) ? getAddress(a) : a;
  }
  if (type === 'bool') return prng.chance(0.5);
  if (type === 'string') return randomString(prng);
  if (type === 'bytes') return randomHex(prng, prng.pick([0, 1, 31, 32, 33, prng.int(0, 300)]));
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed) {
    const n = Number(fixed[1]);
    return prng.pick([`0x${'00'.repeat(n)}`, `0x${'ff'.repeat(n)}`, randomHex(prng, n), randomHex(prng, n)]);
  }
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int) return randomInt(prng, !int[1], int[2] ? Number(int[2]) : 256);
  throw new Error(`no generator for ${type}`);
}

interface Log {
  topics: string[];
  data: string;
}

/** A log of `ev` with random arguments, encoded by viem. */
function randomLog(prng: Prng, ev: PreparedEvent): Log {
  const topics: string[] = [ev.topic0];
  for (const p of ev.indexed) {
    // Indexed dynamic values are hashes: any 32 bytes do.
    topics.push(INDEXED_AS_HASH.test(p.type) ? prng.bytes32() : encodeAbiParameters([p], [randomValue(prng, p)]));
  }
  const data = ev.data.length
    ? encodeAbiParameters(
        ev.data,
        ev.data.map((p) => randomValue(prng, p)),
      )
    : '0x';
  // Nodes send lowercase hex; upper case must decode the same anyway.
  if (prng.chance(0.1)) return { topics: topics.map(upperHex), data: upperHex(data) };
  return { topics, data };
}

const upperHex = (hex: string): string => `0x${hex.slice(2).toUpperCase()}`;

type Attempt = { ok: true; value: Record<string, unknown> } | { ok: false; error: Error };

function attempt(decode: () => Record<string, unknown>): Attempt {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

function assertSameAsViem(ev: PreparedEvent, log: Log): void {
  const expected = decodeRawViem(ev, log.topics, log.data);
  assert.deepEqual(decodeRaw(ev, log.topics, log.data), expected, `${ev.name} ${JSON.stringify(log)}`);
}

// ---------------------------------------------------------------------------------------------------------------

describe('fast log decoder', () => {
  it('compiles a fast plan for every event of abi/ and of the extra types, and none for the fallback types', () => {
    for (const ev of [...ABI_EVENTS, ...EXTRA_EVENTS]) assert.ok(ev.fast, `${ev.contract}.${ev.name} has no fast plan`);
    for (const ev of FALLBACK_EVENTS) assert.equal(ev.fast, null, ev.name);
    assert.ok(ABI_EVENTS.length >= 26);
  });

  it('decodes random logs of every abi/ event exactly as viem does', () => {
    const prng = createPrng(20240611);
    for (const ev of ABI_EVENTS) {
      for (let i = 0; i < 300; i++) assertSameAsViem(ev, randomLog(prng, ev));
    }
  });

  it('decodes random logs of int, bytesN, bool and array types exactly as viem does', () => {
    const prng = createPrng(7);
    for (const ev of EXTRA_EVENTS) {
      for (let i = 0; i < 300; i++) assertSameAsViem(ev, randomLog(prng, ev));
    }
  });

  it('returns numbers up to 48 bits and bigints above, as viem does', () => {
    const ev = eventNamed('Ints');
    const prng = createPrng(1);
    const log = randomLog(prng, ev);
    const args = decodeRaw(ev, log.topics, log.data);
    for (const k of ['a', 'b', 'c', 'd', 'i', 'j']) assert.equal(typeof args[k], 'number', k);
    for (const k of ['e', 'f', 'g', 'h', 'k', 'l']) assert.equal(typeof args[k], 'bigint', k);
  });

  it('decodes UTF-8 like viem: multi-byte text, NUL, bad sequences and a leading BOM', () => {
    const ev = eventNamed('OneString');
    const asString = (hexText: string) => {
      const bytes = hexText.length / 2;
      const body = hexText.padEnd(Math.ceil(bytes / 32) * 64, '0');
      return `0x${word(0x20)}${word(bytes)}${body}`;
    };
    for (const text of ['e4b8ade69687', 'f09f9a80', '00', '0000616263', 'efbbbf61', 'ff61c3', 'e4b8', 'c0af']) {
      assertSameAsViem(ev, { topics: [ev.topic0], data: asString(text) });
    }
    assert.deepEqual(decodeRaw(ev, [ev.topic0], asString('efbbbf61')), { s: 'a' });
  });

  it('falls back to viem for tuples and other types, with addresses lowercase everywhere', () => {
    const ev = FALLBACK_EVENTS[0];
    const owner = getAddress(`0x${'ab'.repeat(20)}`);
    const data = encodeAbiParameters(ev.data, [{ owner, ids: [1n, 2n] }, owner]);
    assert.deepEqual(decodeRaw(ev, [ev.topic0], data), {
      info: { owner: owner.toLowerCase(), ids: [1n, 2n] },
      who: owner.toLowerCase(),
    });
    const arrays = eventNamed('Arrays');
    const log = randomLog(createPrng(3), arrays);
    const decoded = decodeRaw(arrays, log.topics, log.data);
    for (const a of decoded.a as string[]) assert.equal(a, a.toLowerCase());
  });

  it('never accepts a corrupted log that viem rejects, nor decodes it differently', () => {
    const prng = createPrng(99);
    let accepted = 0;
    let total = 0;
    for (const ev of [...ABI_EVENTS, ...EXTRA_EVENTS]) {
      for (let i = 0; i < 150; i++) {
        const log = corrupt(prng, randomLog(prng, ev));
        const fast = attempt(() => decodeRaw(ev, log.topics, log.data));
        const viem = attempt(() => decodeRawViem(ev, log.topics, log.data));
        total++;
        if (!fast.ok) continue;
        accepted++;
        assert.ok(viem.ok, `${ev.name}: viem rejects what we accept: ${JSON.stringify(log)}`);
        assert.deepEqual(fast.value, viem.value, `${ev.name} ${JSON.stringify(log)}`);
      }
    }
    // The corruptions must leave a fair share of decodable logs, or the comparison above proves little.
    assert.ok(accepted > total / 5 && accepted < total, `${accepted} of ${total} accepted`);
  });
});

/** One random corruption: a word replaced, a digit changed, the data cut or extended, or a topic changed. */
function corrupt(prng: Prng, log: Log): Log {
  const words = (log.data.length - 2) / 64;
  const at = 2 + 64 * prng.int(0, Math.max(0, Math.floor(words) - 1));
  const value = prng.pick([0n, 1n, 2n, 0x20n, 0x40n, 0x60n, BigInt(prng.int(0, 4096)), 1n << BigInt(prng.int(8, 255))]);
  const topic = prng.int(0, log.topics.length - 1);
  switch (prng.int(0, 5)) {
    case 0:
      return { ...log, data: log.data.slice(0, at) + word(value) + log.data.slice(at + 64) };
    case 1: {
      const i = prng.int(2, Math.max(2, log.data.length - 1));
      return { ...log, data: log.data.slice(0, i) + prng.pick([...'0123456789abcdef']) + log.data.slice(i + 1) };
    }
    case 2:
      return { ...log, data: log.data.slice(0, 2 + 2 * prng.int(0, (log.data.length - 2) / 2)) };
    case 3:
      return { ...log, data: log.data + '00'.repeat(prng.int(1, 64)) };
    case 4:
      return { ...log, topics: log.topics.map((t, i) => (i === topic && i > 0 ? `0x${word(value)}` : t)) };
    default:
      return log;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Malformed logs

const word = (v: bigint | number): string => BigInt(v).toString(16).padStart(64, '0');
const hexOf = (...words: (bigint | number | string)[]): string =>
  `0x${words.map((w) => (typeof w === 'string' ? w : word(w))).join('')}`;
const TOPIC_1 = `0x${word(1)}`;
const HASH = 'ab'.repeat(32);

interface Malformed {
  what: string;
  event: string;
  topics: string[];
  data: string;
  error: RegExp;
  /** Whether viem rejects it too (false: a value that does not fit its type, which we reject on purpose). */
  viemRejects: boolean;
}

const MALFORMED: Malformed[] = [
  {
    what: 'a missing topic',
    event: 'InferenceSettled',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(1, 2),
    error: /expected 4 topics, got 2/,
    viemRejects: true,
  },
  {
    what: 'empty data',
    event: 'AttributionRecorded',
    topics: [TOPIC_1, TOPIC_1],
    data: '0x',
    error: /data: 0 bytes, shorter than the 64-byte head/,
    viemRejects: true,
  },
  {
    what: 'data shorter than the head',
    event: 'FeeSplitSet',
    topics: [TOPIC_1],
    data: hexOf(1, 2, 3),
    error: /data: 96 bytes, shorter than the 128-byte head/,
    viemRejects: true,
  },
  {
    what: 'an offset past the end of data',
    event: 'AttributionRecorded',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(0x1000, 0x40, 0),
    error: /contributionIds \(uint256\[\]\): offset 4096 points past the end of data \(96 bytes\)/,
    viemRejects: true,
  },
  {
    what: 'an offset too large for a number',
    event: 'DatanetCreated',
    topics: [TOPIC_1, TOPIC_1, TOPIC_1],
    data: hexOf(1n << 64n, 0x40, 0),
    error: /name \(string\): offset 0x0*10000000000000000 is too large/,
    viemRejects: true,
  },
  {
    what: 'an array length past the end of data',
    event: 'AttributionRecorded',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(0x40, 0xa0, 1000, 1, 2, 0),
    error: /contributionIds \(uint256\[\]\): length 1000 runs past the end of data \(192 bytes\)/,
    viemRejects: true,
  },
  {
    what: 'a string length past the end of data',
    event: 'ContributionSubmitted',
    topics: [TOPIC_1, TOPIC_1, TOPIC_1, TOPIC_1],
    data: hexOf(HASH, 7, 0x60, 100, HASH),
    error: /uri \(string\): length 100 runs past the end of data \(160 bytes\)/,
    viemRejects: true,
  },
  {
    what: 'a bytes length past the end of data',
    event: 'SentMessage',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(1, 0x80, 3, 4, 33, HASH),
    error: /message \(bytes\): length 33 runs past the end of data/,
    viemRejects: true,
  },
  {
    what: 'an address topic with non-zero upper bytes',
    event: 'ContributionSubmitted',
    topics: [TOPIC_1, TOPIC_1, TOPIC_1, `0x01${'0'.repeat(22)}${'ab'.repeat(20)}`],
    data: hexOf(HASH, 7, 0x60, 0),
    error: /contributor \(address\): 0x01.* is not an address/,
    viemRejects: false,
  },
  {
    what: 'an address word with non-zero upper bytes',
    event: 'SentMessage',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(`${'f'.repeat(24)}${'ab'.repeat(20)}`, 0x80, 3, 4, 0),
    error: /sender \(address\): 0xf+abab.* is not an address/,
    viemRejects: false,
  },
  {
    what: 'a bool word of 2',
    event: 'ValidatorSet',
    topics: [TOPIC_1, TOPIC_1, TOPIC_1],
    data: hexOf(2),
    error: /enabled \(bool\): 0x0+2 is not a bool/,
    viemRejects: true,
  },
  {
    what: 'a bool word with a high bit',
    event: 'ContributionReviewed',
    topics: [TOPIC_1, TOPIC_1, TOPIC_1],
    data: hexOf(1n << 255n, 5),
    error: /accepted \(bool\): 0x8.* is not a bool/,
    viemRejects: true,
  },
  {
    what: 'a uint16 of 2^16',
    event: 'FeeSplitSet',
    topics: [TOPIC_1],
    data: hexOf(1, 1n << 16n, 3, 4),
    error: /modelOwnerBps \(uint16\): 0x0+10000 does not fit uint16/,
    viemRejects: false,
  },
  {
    what: 'a uint8 beyond 2^53',
    event: 'DatanetStatusChanged',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(1n << 60n),
    error: /status \(uint8\): .* does not fit uint8/,
    viemRejects: true,
  },
  {
    what: 'a uint64 of 2^64',
    event: 'ContributionSubmitted',
    topics: [TOPIC_1, TOPIC_1, TOPIC_1, TOPIC_1],
    data: hexOf(HASH, 1n << 64n, 0x60, 0),
    error: /sizeBytes \(uint64\): 0x0+10000000000000000 does not fit uint64/,
    viemRejects: false,
  },
  {
    what: 'a uint32 array element of 2^32',
    event: 'AttributionRecorded',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(0x40, 0x80, 1, 1, 2, 5, 1n << 32n),
    error: /weightsPpm \(uint32\[\]\): 0x0+100000000 does not fit uint32/,
    viemRejects: false,
  },
  {
    what: 'an indexed uint32 of 2^40',
    event: 'AdapterPublished',
    topics: [TOPIC_1, TOPIC_1, `0x${word(1n << 40n)}`],
    data: hexOf(HASH, 0x40, 0),
    error: /version \(uint32\): .* does not fit uint32/,
    viemRejects: false,
  },
  {
    what: 'an int8 that is not sign-extended',
    event: 'Ints',
    topics: [TOPIC_1, `0x${word(1)}`],
    data: hexOf(0x80, ...Array<number>(10).fill(0)),
    error: /a \(int8\): 0x0+80 does not fit int8/,
    viemRejects: false,
  },
  {
    what: 'a bytes4 topic with non-zero padding',
    event: 'Fixed',
    topics: [TOPIC_1, `0x${'ab'.repeat(5)}${'0'.repeat(54)}`, `0x${word(1)}`],
    data: hexOf(0, 0, 0, 0xc0, 0, 0, 0),
    error: /b \(bytes4\): 0xababababab.* has non-zero padding/,
    viemRejects: false,
  },
  {
    what: 'data that is not hex',
    event: 'FeeSplitSet',
    topics: [TOPIC_1],
    data: `0x${'zz'.repeat(128)}`,
    error: /data: not 0x-prefixed hex/,
    viemRejects: true,
  },
  {
    what: 'data without 0x',
    event: 'FeeSplitSet',
    topics: [TOPIC_1],
    data: `${hexOf(1, 2, 3, 4).slice(2)}00`,
    error: /data: not 0x-prefixed hex/,
    viemRejects: false,
  },
  {
    what: 'an odd number of hex digits',
    event: 'FeeSplitSet',
    topics: [TOPIC_1],
    data: `${hexOf(0, 0, 0, 0)}0`,
    error: /data: odd number of hex digits/,
    viemRejects: false,
  },
  {
    what: 'a topic shorter than 32 bytes',
    event: 'ValidatorSet',
    topics: [TOPIC_1, '0x01', TOPIC_1],
    data: hexOf(1),
    error: /datanetId \(uint256\): topic 0x01 is not 32 bytes of hex/,
    viemRejects: true,
  },
  {
    what: 'a string tail inside the head (32 bytes of data, pointing at itself)',
    event: 'OneString',
    topics: [TOPIC_1],
    data: hexOf(0),
    error: /s \(string\): offset 0 points into the head or an earlier value/,
    viemRejects: true,
  },
  {
    what: 'a tail inside the head',
    event: 'DatanetCreated',
    topics: [TOPIC_1, TOPIC_1, TOPIC_1],
    data: hexOf(0x20, 0x40, 0, 0),
    error: /name \(string\): offset 32 points into the head/,
    viemRejects: false,
  },
  {
    what: 'two values sharing a tail',
    event: 'AttributionRecorded',
    topics: [TOPIC_1, TOPIC_1],
    data: hexOf(0x40, 0x40, 1, 5),
    error: /weightsPpm \(uint32\[\]\): offset 64 points into the head or an earlier value/,
    viemRejects: false,
  },
];

describe('fast log decoder on malformed logs', () => {
  for (const m of MALFORMED) {
    it(`rejects ${m.what}`, () => {
      const ev = eventNamed(m.event);
      const topics = [ev.topic0, ...m.topics.slice(1)];
      assert.throws(() => decodeRaw(ev, topics, m.data), m.error);
      const viem = attempt(() => decodeRawViem(ev, topics, m.data));
      assert.equal(!viem.ok, m.viemRejects, `viem ${viem.ok ? 'accepts' : 'rejects'} it`);
    });
  }
});
