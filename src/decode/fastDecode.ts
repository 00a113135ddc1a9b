/**
 * A specialised ABI decoder for event logs. `compileFastPlan` turns an event into a list of small readers
 * over the log's hex strings once (at `prepareEvents` time); decoding a log is then string slicing and
 * `BigInt`/`parseInt` on 64-character words, without viem's hex -> Uint8Array -> hex round trips.
 *
 * The output is exactly what viem's `decodeAbiParameters` gives after `decodeRawViem`'s clean-up:
 *  - uintN/intN: a `number` for N <= 48 and a `bigint` above (viem's split; `normalise` relies on it);
 *  - address, bytesN, bytes: lowercase 0x hex; bool: boolean;
 *  - string: decoded with a default `TextDecoder`, as viem does (bad UTF-8 -> U+FFFD, a leading BOM is dropped);
 *  - T[]: a plain array of T's conversion;
 *  - an indexed dynamic value (string, bytes, array, tuple): its raw topic (the hash), untouched.
 *
 * Rule on malformed logs: a value that does not fit its declared type is rejected (an Error, which the caller
 * records as a MALFORMED_LOG anomaly). We never accept a log that viem rejects, but we reject some that viem
 * accepts:
 *  - an address word whose upper 12 bytes are not zero (viem keeps the low 20 bytes);
 *  - a uintN/intN word outside the N-bit range (viem returns the out-of-range value as is);
 *  - a bytesN (N < 32) word whose padding after the N bytes is not zero (viem ignores it);
 *  - data that is not whole bytes of hex behind `0x` (viem left-pads odd hex and does not check the prefix);
 *  - a static indexed value whose topic is not exactly 32 bytes (viem reads the first 32 of a longer one);
 *  - tails that overlap the head or each other, or come out of order: an offset must point at or after the end
 *    of the head and of the previous dynamic value, which every Solidity/Vyper encoder does (viem follows any
 *    in-bounds offset). This also keeps us clear of viem's re-read and decoded-size limits.
 * Like viem, we ignore the padding after a string or bytes value, even when the data stops before it.
 * Hex digits may be upper case (the output is lower case either way).
 */
import type { AbiParameter } from 'viem';

/** Decodes the 64-hex-digit word starting at character `at` of a lowercase hex string. */
type WordReader = (hex: string, at: number, label: string) => unknown;

/** The state of decoding one log. `hex` is the data, validated and lowercase. */
interface DecodeState {
  topics: readonly string[];
  hex: string;
  /** First character a tail may start at: the end of the head, then the end of the previous tail. */
  tailFloor: number;
}

/** Reads one event input (from a topic or the data) and returns its value. */
type FieldReader = (state: DecodeState) => unknown;

/** An event compiled for fast decoding: its inputs in declaration order. */
export interface FastPlan {
  fields: { name: string; read: FieldReader }[];
  /** Hex digits of the data head (64 per non-indexed input); 0 when every input is indexed. */
  headChars: number;
}

/** Where an input comes from, as `PreparedEvent.order` lists them. */
interface InputRef {
  name: string;
  indexed: boolean;
  index: number;
}

/** Indexed values of these types are stored as their keccak hash (same rule as decodeRawViem). */
export const INDEXED_AS_HASH = /^(string|bytes|.*\[\d*\]|tuple.*)$/;

const ZEROS = '0'.repeat(64);
const ADDRESS_HIGH_ZEROS = ZEROS.slice(0, 24);
const BOOL_HIGH_ZEROS = ZEROS.slice(0, 63);
const SIZE_HIGH_ZEROS = ZEROS.slice(0, 52);
const HEX = /^0x[0-9a-f]*$/;
const INT_TYPE = /^(u?)int(\d*)$/;
const FIXED_BYTES_TYPE = /^bytes(\d+)$/;
const ARRAY_TYPE = /^(.+)\[\]$/;
/** Decodes strings like viem's bytesToString: non-fatal, BOM stripped (the TextDecoder defaults). */
const utf8 = new TextDecoder();

function fail(label: string, problem: string): never {
  throw new Error(`${label}: ${problem}`);
}

const wordAt = (hex: string, at: number): string => `0x${hex.slice(at, at + 64)}`;

/**
 * Compiles an event, or returns null when one of its non-indexed inputs (or static indexed inputs) has a type
 * this decoder does not handle natively (tuples, fixed-size arrays, nested arrays, arrays of dynamic values...),
 * so the caller falls back to viem.
 */
export function compileFastPlan(
  indexed: readonly AbiParameter[],
  data: readonly AbiParameter[],
  order: readonly InputRef[],
): FastPlan | null {
  const headChars = 64 * data.length;
  const fields: FastPlan['fields'] = [];
  for (const [position, input] of order.entries()) {
    const param = input.indexed ? indexed[input.index] : data[input.index];
    const label = `${input.name || `input #${position}`} (${param.type})`;
    const read = input.indexed
      ? topicField(param.type, input.index + 1, label)
      : dataField(param.type, input.index, label);
    if (!read) return null;
    fields.push({ name: input.name, read });
  }
  return { fields, headChars };
}

/** Decodes a log with a compiled plan (the topic count has been checked). Throws on a malformed log. */
export function decodeFast(plan: FastPlan, topics: readonly string[], data: string): Record<string, unknown> {
  const state: DecodeState = { topics, hex: '', tailFloor: 0 };
  // Like viem's path, an event without non-indexed inputs never looks at the data.
  if (plan.headChars > 0) {
    state.hex = lowerHex(data, 'data');
    if (state.hex.length % 2 !== 0) fail('data', 'odd number of hex digits');
    if (state.hex.length < 2 + plan.headChars) {
      fail('data', `${(state.hex.length - 2) / 2} bytes, shorter than the ${plan.headChars / 2}-byte head`);
    }
    state.tailFloor = 2 + plan.headChars;
  }
  const out: Record<string, unknown> = {};
  for (const field of plan.fields) out[field.name] = field.read(state);
  return out;
}

/** Returns `value` as lowercase `0x` hex, or throws when it is not hex. */
function lowerHex(value: string, label: string): string {
  if (HEX.test(value)) return value;
  const lower = String(value).toLowerCase();
  if (!HEX.test(lower)) fail(label, 'not 0x-prefixed hex');
  return lower;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields

function topicField(type: string, topicIndex: number, label: string): FieldReader | null {
  if (INDEXED_AS_HASH.test(type)) return (s) => s.topics[topicIndex];
  const read = wordReader(type);
  if (!read) return null;
  return (s) => read(topicHex(s.topics[topicIndex], label), 2, label);
}

function topicHex(topic: string, label: string): string {
  // (A length check and HEX run faster than a /^0x[0-9a-f]{64}$/ regex.)
  if (topic.length === 66 && HEX.test(topic)) return topic;
  const lower = String(topic).toLowerCase();
  if (lower.length !== 66 || !HEX.test(lower)) fail(label, `topic ${topic} is not 32 bytes of hex`);
  return lower;
}

function dataField(type: string, index: number, label: string): FieldReader | null {
  const at = 2 + 64 * index;
  const word = wordReader(type);
  if (word) return (s) => word(s.hex, at, label);
  const tail = tailReader(type);
  if (tail) return (s) => tail(s, at, label);
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Static values: one 32-byte word each

function wordReader(type: string): WordReader | null {
  if (type === 'address') return readAddress;
  if (type === 'bool') return readBool;
  const int = INT_TYPE.exec(type);
  if (int) {
    const bits = int[2] ? Number(int[2]) : 256;
    if (bits < 8 || bits > 256 || bits % 8 !== 0) return null;
    return int[1] ? uintReader(bits) : intReader(bits);
  }
  const fixed = FIXED_BYTES_TYPE.exec(type);
  if (fixed) {
    const size = Number(fixed[1]);
    return size >= 1 && size <= 32 ? fixedBytesReader(size) : null;
  }
  return null;
}

/** An address is the low 20 bytes of its word; the upper 12 must be zero. */
function readAddress(hex: string, at: number, label: string): string {
  if (hex.slice(at, at + 24) !== ADDRESS_HIGH_ZEROS) fail(label, `${wordAt(hex, at)} is not an address`);
  return `0x${hex.slice(at + 24, at + 64)}`;
}

/** A bool word is exactly 0 or 1. */
function readBool(hex: string, at: number, label: string): boolean {
  const last = hex.charCodeAt(at + 63);
  if (hex.slice(at, at + 63) !== BOOL_HIGH_ZEROS || (last !== 48 && last !== 49)) {
    fail(label, `${wordAt(hex, at)} is not a bool`);
  }
  return last === 49;
}

/** uintN: the bits above N must be zero. A number for N <= 48 (exact, well under 2^53), else a bigint. */
function uintReader(bits: number): WordReader {
  const valueStart = 64 - bits / 4;
  const highZeros = ZEROS.slice(0, valueStart);
  const check = (hex: string, at: number, label: string): void => {
    if (hex.slice(at, at + valueStart) !== highZeros) fail(label, `${wordAt(hex, at)} does not fit uint${bits}`);
  };
  if (bits <= 48) {
    return (hex, at, label) => {
      check(hex, at, label);
      return Number.parseInt(hex.slice(at + valueStart, at + 64), 16);
    };
  }
  return (hex, at, label) => {
    check(hex, at, label);
    return BigInt(`0x${hex.slice(at + valueStart, at + 64)}`);
  };
}

/**
 * intN: the word is a 256-bit two's complement value (as viem reads it) that must lie in the N-bit signed range,
 * i.e. be properly sign-extended. A number for N <= 48, else a bigint. (No event uses intN today: kept simple.)
 */
function intReader(bits: number): WordReader {
  return (hex, at, label) => {
    const value = BigInt.asIntN(256, BigInt(wordAt(hex, at)));
    if (BigInt.asIntN(bits, value) !== value) fail(label, `${wordAt(hex, at)} does not fit int${bits}`);
    return bits <= 48 ? Number(value) : value;
  };
}

/** bytesN: the first N bytes of the word; the rest is padding and must be zero. */
function fixedBytesReader(size: number): WordReader {
  const end = 2 * size;
  const padding = ZEROS.slice(end);
  return (hex, at, label) => {
    if (hex.slice(at + end, at + 64) !== padding) fail(label, `${wordAt(hex, at)} has non-zero padding`);
    return `0x${hex.slice(at, at + end)}`;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Dynamic values: an offset in the head, then a length word and the content in the tail

type TailReader = (state: DecodeState, at: number, label: string) => unknown;

function tailReader(type: string): TailReader | null {
  if (type === 'string') return readString;
  if (type === 'bytes') return readBytes;
  const array = ARRAY_TYPE.exec(type);
  const element = array ? wordReader(array[1]) : null;
  return element ? arrayReader(element) : null;
}

/** An offset or a length: a number far below 2^53 (anything above 2^48 bytes cannot be in bounds anyway). */
function readSize(hex: string, at: number, label: string, what: string): number {
  if (hex.slice(at, at + 52) !== SIZE_HIGH_ZEROS) fail(label, `${what} ${wordAt(hex, at)} is too large`);
  return Number.parseInt(hex.slice(at + 52, at + 64), 16);
}

/**
 * Follows the offset in the head word at `at` and reads the length word there. Returns the character where the
 * content starts and the length. The tail must start at or after `tailFloor` and its length word must be in data.
 */
function openTail(state: DecodeState, at: number, label: string): { start: number; length: number } {
  const { hex } = state;
  const offset = readSize(hex, at, label, 'offset');
  const lengthAt = 2 + 2 * offset;
  if (lengthAt < state.tailFloor) fail(label, `offset ${offset} points into the head or an earlier value`);
  if (lengthAt + 64 > hex.length) fail(label, `offset ${offset} points past the end of data (${dataBytes(hex)} bytes)`);
  return { start: lengthAt + 64, length: readSize(hex, lengthAt, label, 'length') };
}

/** Checks that a tail's content ends within data and moves the floor past it. */
function closeTail(state: DecodeState, end: number, length: number, label: string): void {
  if (end > state.hex.length) {
    fail(label, `length ${length} runs past the end of data (${dataBytes(state.hex)} bytes)`);
  }
  state.tailFloor = end;
}

const dataBytes = (hex: string): number => (hex.length - 2) / 2;

function readBytes(state: DecodeState, at: number, label: string): string {
  const { start, length } = openTail(state, at, label);
  const end = start + 2 * length;
  closeTail(state, end, length, label);
  return `0x${state.hex.slice(start, end)}`;
}

function readString(state: DecodeState, at: number, label: string): string {
  const { start, length } = openTail(state, at, label);
  const end = start + 2 * length;
  closeTail(state, end, length, label);
  return length === 0 ? '' : utf8.decode(Buffer.from(state.hex.slice(start, end), 'hex'));
}

/** T[] for a static T: one word per element after the length. */
function arrayReader(element: WordReader): TailReader {
  return (state, at, label) => {
    const { start, length } = openTail(state, at, label);
    // Checked before the loop, so a huge length fails fast instead of after reading the whole data.
    const end = start + 64 * length;
    closeTail(state, end, length, label);
    const out: unknown[] = [];
    for (let p = start; p < end; p += 64) out.push(element(state.hex, p, label));
    return out;
  };
}
