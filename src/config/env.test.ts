import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvmBatchProcessor } from '@subsquid/evm-processor';
import { createLogDecoder } from '../decode/decodeLog';
import { databaseUrlFromEnv } from '../db/resolve';
import { createProcessor } from '../ingest/processor';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, loadProcessorConfig, readShutdownTimeoutMs } from './env';

const MAINNET = { NETWORK: 'openledger-mainnet', DB_URL: 'postgres://u:p@db:5432/x' };

describe('loadProcessorConfig: GATEWAY_URL', () => {
  it('is optional, and an SQD Network gateway URL when set', () => {
    assert.equal(loadProcessorConfig(MAINNET).gatewayUrl, undefined);
    assert.equal(loadProcessorConfig({ ...MAINNET, GATEWAY_URL: '' }).gatewayUrl, undefined);
    const url = 'https://v2.archive.subsquid.io/network/some-network';
    assert.equal(loadProcessorConfig({ ...MAINNET, GATEWAY_URL: url }).gatewayUrl, url);
  });

  it('refuses what is not an http(s) URL, naming the variable', () => {
    assert.throws(
      () => loadProcessorConfig({ ...MAINNET, GATEWAY_URL: 'v2.archive.subsquid.io' }),
      /^Error: GATEWAY_URL must be an http\(s\) URL/,
    );
    assert.throws(() => loadProcessorConfig({ ...MAINNET, GATEWAY_URL: 'ftp://x' }), /GATEWAY_URL/);
  });

  it('makes the processor take finalized blocks from the gateway and keep the RPC for the head', () => {
    const decoder = createLogDecoder({});
    const internals = (p: EvmBatchProcessor) =>
      p as unknown as { archive?: { url: string }; rpcEndpoint?: { url: string } };
    const url = 'https://v2.archive.subsquid.io/network/some-network';
    const withGateway = internals(createProcessor(loadProcessorConfig({ ...MAINNET, GATEWAY_URL: url }), decoder));
    assert.equal(withGateway.archive?.url, url);
    assert.equal(withGateway.rpcEndpoint?.url, 'https://rpc.openledger.xyz');
    assert.equal(internals(createProcessor(loadProcessorConfig(MAINNET), decoder)).archive, undefined);
  });
});

describe('loadProcessorConfig: the database', () => {
  it('takes DB_URL, else builds the URL from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASS (SQD Cloud)', () => {
    assert.equal(loadProcessorConfig(MAINNET).dbUrl, MAINNET.DB_URL);
    const cloud = {
      NETWORK: 'openledger-mainnet',
      DB_HOST: 'pg.internal',
      DB_PORT: '6543',
      DB_NAME: 'squid',
      DB_USER: 'u',
      DB_PASS: 'p@ss:w/rd',
    };
    const url = new URL(loadProcessorConfig(cloud).dbUrl);
    assert.equal(url.hostname, 'pg.internal');
    assert.equal(url.port, '6543');
    assert.equal(url.pathname, '/squid');
    assert.equal(decodeURIComponent(url.username), 'u');
    assert.equal(decodeURIComponent(url.password), 'p@ss:w/rd');
    assert.throws(() => loadProcessorConfig({ NETWORK: 'openledger-mainnet' }), /^Error: DB_URL is required/);
  });
});

describe('databaseUrlFromEnv', () => {
  it("uses the Subsquid store's defaults for the parts not given, and prefers DB_URL", () => {
    assert.equal(databaseUrlFromEnv({}), undefined);
    assert.equal(databaseUrlFromEnv({ DB_PASS: 'secret' }), 'postgres://postgres:secret@localhost:5432/postgres');
    assert.equal(databaseUrlFromEnv({ DB_URL: 'postgres://a@b/c', DB_HOST: 'ignored' }), 'postgres://a@b/c');
    assert.throws(() => databaseUrlFromEnv({ DB_PORT: 'five' }), /^Error: DB_PORT must be a port number/);
  });
});

describe('readShutdownTimeoutMs', () => {
  it('defaults to 10 s and refuses a non-positive or non-integer value, naming SHUTDOWN_TIMEOUT_MS', () => {
    assert.equal(readShutdownTimeoutMs({}), DEFAULT_SHUTDOWN_TIMEOUT_MS);
    assert.equal(DEFAULT_SHUTDOWN_TIMEOUT_MS, 10_000);
    assert.equal(readShutdownTimeoutMs({ SHUTDOWN_TIMEOUT_MS: '2500' }), 2500);
    assert.throws(
      () => readShutdownTimeoutMs({ SHUTDOWN_TIMEOUT_MS: '0' }),
      /SHUTDOWN_TIMEOUT_MS must be a positive integer/,
    );
    assert.throws(() => readShutdownTimeoutMs({ SHUTDOWN_TIMEOUT_MS: '1.5' }), /SHUTDOWN_TIMEOUT_MS/);
  });
});
