// Addresses, hashes and amounts shared by the API test seed and the tests.

/** A lowercase address built from a short hex tag. */
export const addr = (tag: string) => `0x${tag.padEnd(40, '0')}`;
/** A 32-byte 0x hex value from a number or hex string. */
export const hash = (n: number | string) => `0x${n.toString(16).padStart(64, '0')}`;
/** Timestamp of a block (2 s blocks from 2025-01-01). */
export const at = (block: number) => new Date(Date.UTC(2025, 0, 1) + block * 2000);

/** Accounts the seed uses (lowercase). */
export const ADDR = {
  ownerA: addr('a11ce'),
  ownerB: addr('b0b'),
  modelOwner: addr('0de1'),
  payer: addr('9a7e5'),
  contributors: ['c01', 'c02', 'c03', 'c04', 'c05'].map(addr),
  bridgers: ['b1', 'b2', 'b3', 'b4'].map((t) => addr(`b71d6e${t}`)),
  token: addr('70ce1'),
  zero: addr(''),
};
