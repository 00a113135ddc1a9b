/**
 * Compiles the Solidity reference contracts (`contracts/*.sol`) with solc-js, never a downloaded
 * compiler, and caches the output under `.devnet/build/<sha256>.json` so later calls are instant.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Abi, Hex } from 'viem';

/** One compiled contract: its ABI and creation / runtime bytecode. */
export interface CompiledContract {
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
}

/** Compiled contracts by contract name (interfaces are left out). */
export type CompiledContracts = Record<string, CompiledContract>;

/** Compiler settings; part of the cache key. */
const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const;

/** The repository root (this file runs from `src/devnet` or `lib/devnet`). */
export function projectRoot(): string {
  return path.resolve(__dirname, '..', '..');
}

/** Reads `contracts/*.sol` as solc source units keyed `contracts/<file>`. */
export function readContractSources(dir = path.join(projectRoot(), 'contracts')): Record<string, string> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sol'))
    .sort();
  if (files.length === 0) throw new Error(`no .sol files in ${dir}: the devnet contracts are missing`);
  const sources: Record<string, string> = {};
  for (const f of files) sources[`contracts/${f}`] = readFileSync(path.join(dir, f), 'utf8');
  return sources;
}

/** Compiles every `contracts/*.sol` (cached by content and solc version) and returns them by name. */
export function compileContracts(options: { cacheDir?: string } = {}): CompiledContracts {
  const root = projectRoot();
  const cacheDir = options.cacheDir ?? path.join(root, '.devnet', 'build');
  const sources = readContractSources();
  const solcVersion = readSolcPackageVersion();
  const key = cacheKey(sources, solcVersion);
  const cacheFile = path.join(cacheDir, `${key}.json`);
  if (existsSync(cacheFile)) {
    try {
      return JSON.parse(readFileSync(cacheFile, 'utf8')) as CompiledContracts;
    } catch {
      // A corrupt cache file is rebuilt below.
    }
  }
  const compiled = runSolc(sources);
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(compiled));
  renameSync(tmp, cacheFile);
  return compiled;
}

/** Returns one compiled contract by name, with a clear error when it is missing. */
export function getArtifact(artifacts: CompiledContracts, name: string): CompiledContract {
  const artifact = artifacts[name];
  if (!artifact) {
    throw new Error(`contract ${name} is not among the compiled contracts (${Object.keys(artifacts).join(', ')})`);
  }
  return artifact;
}

function readSolcPackageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- JSON outside rootDir, read at run time
  return (require('solc/package.json') as { version: string }).version;
}

function cacheKey(sources: Record<string, string>, solcVersion: string): string {
  const hash = createHash('sha256');
  hash.update(`solc ${solcVersion}\n${JSON.stringify(SETTINGS)}\n`);
  for (const [name, content] of Object.entries(sources)) hash.update(`${name}\n${content}\n`);
  return hash.digest('hex');
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<string, { abi: Abi; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>
  >;
}

function runSolc(sources: Record<string, string>): CompiledContracts {
  // Loaded lazily: solc-js takes about a second to load and is only needed on a cache miss.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only needed on a cache miss
  const solc = require('solc') as { compile(input: string, callbacks?: object): string };
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: SETTINGS,
  };
  const findImports = (p: string) => ({ error: `import ${p} not found: contracts must be self-contained` });
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`solc failed to compile contracts/:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  }
  const compiled: CompiledContracts = {};
  for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      if (!c.evm.bytecode.object) continue; // interfaces and abstract contracts
      if (compiled[name]) throw new Error(`contract name ${name} is defined twice (second in ${unit})`);
      compiled[name] = {
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      };
    }
  }
  return compiled;
}
