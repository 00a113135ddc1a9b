import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDevnetArgs } from './cli-options';
import { chooseWeights } from './generators';
import { MULTICALL_BYTECODE, MULTICALL_SOURCE } from './multicall';
import { createPrng } from './prng';

describe('createPrng', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      seqA,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 5 }, () => c.next()),
    );
  });

  it('draws integers, bigints and samples inside their bounds', () => {
    const p = createPrng(1);
    for (let i = 0; i < 1000; i++) {
      const n = p.int(3, 7);
      assert.ok(n >= 3 && n <= 7 && Number.isInteger(n));
      const b = p.bigint(10n ** 18n, 10n ** 18n + 5n);
      assert.ok(b >= 10n ** 18n && b <= 10n ** 18n + 5n);
    }
    const s = p.sample([1, 2, 3, 4, 5], 3);
    assert.equal(new Set(s).size, 3);
    assert.match(p.bytes32(), /^0x[0-9a-f]{64}$/);
  });

  it('forks stable, independent generators by label', () => {
    assert.equal(createPrng(1).fork('x').next(), createPrng(1).fork('x').next());
    assert.notEqual(createPrng(1).fork('x').next(), createPrng(1).fork('y').next());
  });
});

describe('chooseWeights', () => {
  it('splits exactly 1,000,000 ppm into k positive weights', () => {
    const p = createPrng(3);
    for (let k = 1; k <= 20; k++) {
      const w = chooseWeights(p, k);
      assert.equal(w.length, k);
      assert.equal(
        w.reduce((a, b) => a + b, 0),
        1_000_000,
      );
      assert.ok(w.every((x) => x > 0));
    }
  });
});

describe('parseDevnetArgs', () => {
  it('defaults to medium, seed 1, port 8545, no live traffic, .devnet/deployment.json', () => {
    assert.deepEqual(parseDevnetArgs([]), {
      port: 8545,
      seed: 1,
      scenario: 'medium',
      live: false,
      out: '.devnet/deployment.json',
      help: false,
    });
  });

  it('reads every flag, with a space or an equals sign', () => {
    assert.deepEqual(
      parseDevnetArgs(['--port', '9545', '--seed=7', '--scenario', 'small', '--live', '--out', 'x/d.json']),
      {
        port: 9545,
        seed: 7,
        scenario: 'small',
        live: true,
        out: 'x/d.json',
        help: false,
      },
    );
    assert.equal(parseDevnetArgs(['--help']).help, true);
  });

  it('rejects unknown flags and bad values with a message naming the flag', () => {
    assert.throws(() => parseDevnetArgs(['--verbose']), /unknown option "--verbose"/);
    assert.throws(
      () => parseDevnetArgs(['--scenario', 'huge']),
      /--scenario must be one of small, medium, large, none/,
    );
    assert.throws(() => parseDevnetArgs(['--port', 'abc']), /--port needs an integer from 0 to 65535/);
    assert.throws(() => parseDevnetArgs(['--seed']), /--seed needs an integer/);
    assert.throws(() => parseDevnetArgs(['--out']), /--out needs a file path/);
  });
});

describe('DevnetMulticall', () => {
  it('embeds the bytecode solc 0.8.28 produces for its source', () => {
    // solc-js ships no type declarations: load it through createRequire.
    const solc = createRequire(__filename)('solc') as { compile(input: string): string };
    const input = {
      language: 'Solidity',
      sources: { 'DevnetMulticall.sol': { content: MULTICALL_SOURCE } },
      settings: {
        evmVersion: 'cancun',
        optimizer: { enabled: true, runs: 200 },
        outputSelection: { '*': { '*': ['evm.bytecode.object'] } },
      },
    };
    const out = JSON.parse(solc.compile(JSON.stringify(input)));
    assert.equal(`0x${out.contracts['DevnetMulticall.sol'].DevnetMulticall.evm.bytecode.object}`, MULTICALL_BYTECODE);
  });
});

describe('npm run devnet (lib/devnet/main.js)', () => {
  const main = path.join(__dirname, '..', 'main.js');
  it('prints the usage with --help and exits 0', () => {
    const r = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: npm run devnet/);
  });

  it('exits 2 with a clear message on a bad flag', () => {
    const r = spawnSync(process.execPath, [main, '--scenario', 'huge'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /devnet: --scenario must be one of/);
  });
});
