import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeAbiParameters, encodeEventTopics, getAddress, parseAbi, type Hex } from 'viem';
import { createLogDecoder } from './decodeLog';

const REGISTRY = '0x00000000000000000000000000000000000000aa';
const ENGINE = '0x00000000000000000000000000000000000000bb';
const loc = { blockNumber: 7, timestamp: 1_700_000_000_000, txHash: '0xt', logIndex: 3, address: REGISTRY };
const abi = parseAbi([
  'event ContributionSubmitted(uint256 indexed contributionId, uint256 indexed datanetId, address indexed contributor, bytes32 dataHash, uint64 sizeBytes, string uri)',
  'event AttributionRecorded(bytes32 indexed inferenceId, uint256[] contributionIds, uint32[] weightsPpm)',
]);
const decoder = createLogDecoder({ DatanetRegistry: REGISTRY, AttributionEngine: ENGINE });
const HASH = `0x${'ab'.repeat(32)}` as Hex;

describe('createLogDecoder', () => {
  it('decodes indexed and data fields with bigint amounts and lowercase addresses', () => {
    const topics = encodeEventTopics({
      abi,
      eventName: 'ContributionSubmitted',
      args: {
        contributionId: 2n ** 80n,
        datanetId: 5n,
        contributor: getAddress('0xabcdef0000000000000000000000000000000001'),
      },
    });
    const data = encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'uint64' }, { type: 'string' }],
      [HASH, 1234n, 'ipfs://x'],
    );
    const r = decoder.decode(
      { address: REGISTRY.toUpperCase().replace('0X', '0x'), topics: topics as string[], data },
      loc,
    );
    assert.ok(r && r.ok);
    assert.equal(r.event.kind, 'ContributionSubmitted');
    assert.deepEqual(r.event.args, {
      contributionId: 2n ** 80n,
      datanetId: 5n,
      contributor: '0xabcdef0000000000000000000000000000000001',
      dataHash: HASH,
      sizeBytes: 1234n,
      uri: 'ipfs://x',
    });
  });

  it('decodes arrays and turns uint32 weights into numbers', () => {
    const topics = encodeEventTopics({ abi, eventName: 'AttributionRecorded', args: { inferenceId: HASH } });
    const data = encodeAbiParameters(
      [{ type: 'uint256[]' }, { type: 'uint32[]' }],
      [
        [1n, 2n],
        [300_000, 700_000],
      ],
    );
    const r = decoder.decode({ address: ENGINE, topics: topics as string[], data }, loc);
    assert.ok(r && r.ok && r.event.kind === 'AttributionRecorded');
    assert.deepEqual(r.event.args, { inferenceId: HASH, contributionIds: [1n, 2n], weightsPpm: [300_000, 700_000] });
  });

  it('ignores logs of other addresses and of unknown topics', () => {
    const topics = encodeEventTopics({ abi, eventName: 'AttributionRecorded', args: { inferenceId: HASH } });
    assert.equal(
      decoder.decode(
        { address: '0x00000000000000000000000000000000000000cc', topics: topics as string[], data: '0x' },
        loc,
      ),
      null,
    );
    // the right event at the wrong contract is not ours either
    assert.equal(decoder.decode({ address: REGISTRY, topics: topics as string[], data: '0x' }, loc), null);
  });

  it('reports a malformed log (truncated data, missing topic) instead of throwing', () => {
    const topics = encodeEventTopics({ abi, eventName: 'AttributionRecorded', args: { inferenceId: HASH } });
    const bad = decoder.decode({ address: ENGINE, topics: topics as string[], data: '0x1234' }, loc);
    assert.ok(bad && !bad.ok);
    assert.match(bad.reason, /malformed AttributionEngine\.AttributionRecorded/);
    const short = decoder.decode({ address: ENGINE, topics: [topics[0] as string], data: '0x' }, loc);
    assert.ok(short && !short.ok);
    assert.match(short.reason, /expected 2 topics, got 1/);
  });

  it('lists topic0s per configured address for the processor request', () => {
    assert.equal(decoder.topicsByAddress.get(REGISTRY)?.length, 6);
    assert.equal(decoder.topicsByAddress.get(ENGINE)?.length, 3);
  });
});
