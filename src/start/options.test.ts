import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildProcessorEnv, expectedChainId, finalityConfirmationsFor, parseStartOptions } from './options';
import { StartError } from './errors';

describe('parseStartOptions', () => {
  it('defaults to a live medium devnet with seed 1 on port 8545 and GraphQL on 4350 when nothing is set', () => {
    const o = parseStartOptions({});
    assert.deepEqual(o.chain, {
      kind: 'devnet',
      scenario: 'medium',
      seed: 1,
      port: 8545,
      portExplicit: false,
      live: true,
      out: '.devnet/deployment.json',
    });
    assert.equal(o.graphqlPort, 4350);
    assert.equal(o.graphqlHost, undefined);
    assert.equal(o.prometheusPort, undefined);
    assert.equal(o.readyMaxLagBlocks, undefined);
  });

  it('reads the operations settings: LOG_FORMAT, LOG_LEVEL, PROCESSOR_LOG, SHUTDOWN_TIMEOUT_MS, API_METRICS_PORT', () => {
    const d = parseStartOptions({});
    assert.deepEqual(
      [d.logFormat, d.logLevel, d.processorLog, d.shutdownTimeoutMs, d.apiMetricsPort],
      ['text', 'info', '.data/logs/processor.log', 10_000, undefined],
    );
    const o = parseStartOptions({
      LOG_FORMAT: 'JSON',
      LOG_LEVEL: 'warn',
      PROCESSOR_LOG: '/var/log/processor.log',
      SHUTDOWN_TIMEOUT_MS: '30000',
      API_METRICS_PORT: '9091',
    });
    assert.deepEqual(
      [o.logFormat, o.logLevel, o.processorLog, o.shutdownTimeoutMs, o.apiMetricsPort],
      ['json', 'warn', '/var/log/processor.log', 30_000, 9091],
    );
  });

  it('reads READY_MAX_LAG_BLOCKS for the API', () => {
    assert.equal(parseStartOptions({ READY_MAX_LAG_BLOCKS: '25' }).readyMaxLagBlocks, 25);
    assert.throws(() => parseStartOptions({ READY_MAX_LAG_BLOCKS: 'many' }), /READY_MAX_LAG_BLOCKS/);
  });

  it('reads DEVNET_SCENARIO, DEVNET_SEED, DEVNET_PORT, DEVNET_LIVE and DEVNET_OUT, marking an explicit port', () => {
    const o = parseStartOptions({
      DEVNET_SCENARIO: 'small',
      DEVNET_SEED: '42',
      DEVNET_PORT: '9545',
      DEVNET_LIVE: 'false',
      DEVNET_OUT: '/tmp/x/deployment.json',
    });
    assert.deepEqual(o.chain, {
      kind: 'devnet',
      scenario: 'small',
      seed: 42,
      port: 9545,
      portExplicit: true,
      live: false,
      out: '/tmp/x/deployment.json',
    });
  });

  it('defaults NETWORK to openledger-mainnet when RPC_URL is set, and says so', () => {
    const o = parseStartOptions({ RPC_URL: 'https://rpc.example.org' });
    assert.equal(o.chain.kind, 'rpc');
    if (o.chain.kind !== 'rpc') return;
    assert.equal(o.chain.network, 'openledger-mainnet');
    assert.equal(o.chain.rpcUrl, 'https://rpc.example.org');
    assert.match(o.chain.note ?? '', /assuming openledger-mainnet/);
  });

  it('keeps an explicit NETWORK with RPC_URL and has no note', () => {
    const o = parseStartOptions({ RPC_URL: 'https://rpctn.example.org', NETWORK: 'openledger-testnet' });
    assert.deepEqual(o.chain, {
      kind: 'rpc',
      rpcUrl: 'https://rpctn.example.org',
      network: 'openledger-testnet',
      note: null,
      deploymentFile: undefined,
    });
  });

  it('uses the public endpoint when NETWORK names a public chain without RPC_URL', () => {
    const o = parseStartOptions({ NETWORK: 'openledger-testnet' });
    assert.equal(o.chain.kind, 'rpc');
    if (o.chain.kind !== 'rpc') return;
    assert.equal(o.chain.rpcUrl, 'https://rpctn.openledger.xyz');
  });

  it('passes a DEPLOYMENT_FILE for NETWORK=devnet against an external node (default .devnet/deployment.json)', () => {
    const o = parseStartOptions({ RPC_URL: 'http://127.0.0.1:8545', NETWORK: 'devnet' });
    assert.equal(o.chain.kind === 'rpc' && o.chain.deploymentFile, '.devnet/deployment.json');
  });

  it('starts the devnet when NETWORK=devnet and RPC_URL is unset', () => {
    assert.equal(parseStartOptions({ NETWORK: 'devnet' }).chain.kind, 'devnet');
  });

  it('reads GRAPHQL_PORT, GRAPHQL_HOST and PROCESSOR_PROMETHEUS_PORT (PROMETHEUS_PORT as fallback)', () => {
    const o = parseStartOptions({ GRAPHQL_PORT: '5000', GRAPHQL_HOST: '127.0.0.1', PROMETHEUS_PORT: '9100' });
    assert.equal(o.graphqlPort, 5000);
    assert.equal(o.graphqlHost, '127.0.0.1');
    assert.equal(o.prometheusPort, 9100);
    assert.equal(
      parseStartOptions({ PROCESSOR_PROMETHEUS_PORT: '9200', PROMETHEUS_PORT: '9100' }).prometheusPort,
      9200,
    );
  });

  for (const [name, env, pattern] of [
    [
      'an unknown NETWORK',
      { NETWORK: 'ethereum' },
      /NETWORK must be one of devnet, openledger-testnet, openledger-mainnet/,
    ],
    ['an unknown scenario', { DEVNET_SCENARIO: 'huge' }, /DEVNET_SCENARIO must be one of small, medium, large, none/],
    ['a port out of range', { GRAPHQL_PORT: '70000' }, /GRAPHQL_PORT must be an integer from 1 to 65535/],
    ['a non-numeric seed', { DEVNET_SEED: 'abc' }, /DEVNET_SEED must be an integer/],
    ['a non-boolean DEVNET_LIVE', { DEVNET_LIVE: 'maybe' }, /DEVNET_LIVE must be true or false/],
    ['a non-http RPC_URL', { RPC_URL: 'localhost:8545' }, /RPC_URL must be an http\(s\) URL/],
    ['an unknown LOG_FORMAT', { LOG_FORMAT: 'xml' }, /LOG_FORMAT must be one of text, json/],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of debug, info, warn, error, fatal/],
    ['a zero SHUTDOWN_TIMEOUT_MS', { SHUTDOWN_TIMEOUT_MS: '0' }, /SHUTDOWN_TIMEOUT_MS must be an integer from 1/],
  ] as const) {
    it(`rejects ${name} with a StartError naming the variable`, () => {
      assert.throws(
        () => parseStartOptions(env),
        (err: unknown) => err instanceof StartError && pattern.test(err.message),
      );
    });
  }
});

describe('expectedChainId and finalityConfirmationsFor', () => {
  it('expects 1612 on mainnet, 161201 on testnet and nothing fixed on the devnet', () => {
    assert.equal(expectedChainId('openledger-mainnet'), 1612);
    assert.equal(expectedChainId('openledger-testnet'), 161201);
    assert.equal(expectedChainId('devnet'), undefined);
  });

  it('uses the network profile unless FINALITY_CONFIRMATIONS overrides it', () => {
    assert.equal(finalityConfirmationsFor('openledger-mainnet', {}), 75);
    assert.equal(finalityConfirmationsFor('devnet', {}), 5);
    assert.equal(finalityConfirmationsFor('devnet', { FINALITY_CONFIRMATIONS: '12' }), 12);
  });
});

describe('buildProcessorEnv', () => {
  it('passes only allow-listed variables and sets RPC_URL, DB_URL, NETWORK, DEPLOYMENT_FILE and the metrics port', () => {
    const env = buildProcessorEnv({
      base: {
        PATH: '/usr/bin',
        HOME: '/root',
        AWS_SECRET_ACCESS_KEY: 'secret',
        GITHUB_TOKEN: 'secret',
        DB_URL: 'postgres://other',
        SQD_DEBUG: 'sqd:processor',
        CONTRACT_RewardVault: '0x' + '1'.repeat(40),
        START_BLOCK: '100',
      },
      rpcUrl: 'http://127.0.0.1:8545',
      dbUrl: 'postgres://postgres:postgres@127.0.0.1:54329/indexer',
      network: 'devnet',
      deploymentFile: '/repo/.devnet/deployment.json',
      prometheusPort: 0,
    });
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      HOME: '/root',
      SQD_DEBUG: 'sqd:processor',
      CONTRACT_RewardVault: '0x' + '1'.repeat(40),
      START_BLOCK: '100',
      RPC_URL: 'http://127.0.0.1:8545',
      DB_URL: 'postgres://postgres:postgres@127.0.0.1:54329/indexer',
      NETWORK: 'devnet',
      DEPLOYMENT_FILE: '/repo/.devnet/deployment.json',
      PROCESSOR_PROMETHEUS_PORT: '0',
      PROMETHEUS_PORT: '0',
    });
  });
});
