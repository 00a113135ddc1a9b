import { badUserInput } from './errors';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH32 = /^0x[0-9a-fA-F]{64}$/;
const DECIMAL = /^[0-9]{1,78}$/;

/** Checks a 0x + 40 hex address and returns it lowercase (the form every table stores). */
export function parseAddress(argument: string, value: string): string {
  if (!ADDRESS.test(value))
    throw badUserInput(argument, `must be an address (0x followed by 40 hex digits), got "${clip(value)}".`);
  return value.toLowerCase();
}

/** Checks a 0x + 64 hex value (inference id, withdrawal hash) and returns it lowercase. */
export function parseHash32(argument: string, value: string): string {
  if (!HASH32.test(value)) throw badUserInput(argument, `must be 0x followed by 64 hex digits, got "${clip(value)}".`);
  return value.toLowerCase();
}

/** Checks a non-negative decimal integer given as a string (a uint256 id) and returns it without leading zeros. */
export function parseDecimal(argument: string, value: string): string {
  if (!DECIMAL.test(value))
    throw badUserInput(argument, `must be a non-negative decimal integer, got "${clip(value)}".`);
  const normalized = BigInt(value);
  if (normalized >= 1n << 256n) throw badUserInput(argument, 'must fit in a uint256.');
  return normalized.toString();
}

/** Checks an optional block number argument (an Int >= 0); returns undefined when not given. */
export function parseBlock(argument: string, value: number | null | undefined): number | undefined {
  if (value == null) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw badUserInput(argument, `must be a block number >= 0 (got ${value}).`);
  }
  return value;
}

function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
