/**
 * Private keys of hardhat's default-mnemonic accounts, derived once and cached in
 * `.devnet/accounts-<count>.json`: hardhat derives them in slow pure JS (about 25 ms per account,
 * twice per start), so the node is given the keys instead of the mnemonic. One file per count,
 * so launchers asking for different counts at the same time never overwrite each other.
 */
import { pbkdf2Sync } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HDKey } from 'viem/accounts';
import { toHex } from 'viem';
import { projectRoot } from './compile';

/** Hardhat's default (public) mnemonic. */
export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk';

/** Writes (if needed) `.devnet/accounts-<count>.json` with `count` private keys and returns its path. */
export function ensureDevnetKeysFile(count: number): string {
  const file = path.join(projectRoot(), '.devnet', `accounts-${count}.json`);
  let cached: string[] = [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { mnemonic?: string; privateKeys?: string[] };
    if (parsed.mnemonic === DEVNET_MNEMONIC && Array.isArray(parsed.privateKeys)) cached = parsed.privateKeys;
  } catch {
    cached = [];
  }
  if (cached.length === count) return file;
  const privateKeys = deriveDevnetPrivateKeys(count);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ mnemonic: DEVNET_MNEMONIC, privateKeys }));
  renameSync(tmp, file);
  return file;
}

/** Derives the first `count` private keys of the default mnemonic (m/44'/60'/0'/0/i). */
export function deriveDevnetPrivateKeys(count: number): string[] {
  // BIP-39 seed: PBKDF2-HMAC-SHA512 of the NFKD mnemonic, salt "mnemonic" (no passphrase).
  const seed = pbkdf2Sync(DEVNET_MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
  const base = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = base.deriveChild(i).privateKey;
    if (!key) throw new Error(`could not derive devnet account ${i}`);
    keys.push(toHex(key));
  }
  return keys;
}
