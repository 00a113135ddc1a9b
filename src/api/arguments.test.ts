// Audit of every argument the schema takes: an invalid value is a BAD_USER_INPUT error naming the
// argument, on every field. A new argument fails the coverage test until a case is added here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  parse,
  visit,
  type GraphQLInputType,
} from 'graphql';
import { argumentNameOf } from './argumentErrors';
import { schema } from './schema';
import { setupApiFixture, type ApiFixture } from './test-fixtures';
import { ADDR } from './test-values';

let fx: ApiFixture;
before(async () => {
  fx = await setupApiFixture();
});
after(async () => {
  await fx?.close();
});

/** A query reaching a connection field with the given arguments, on a parent row the seed has. */
type ConnectionCase = (args: string) => string;

const c0 = ADDR.contributors[0];
const inference = () => fx.seed.inference.id;
/** Every field that returns a connection (each takes `first` and `after`). */
const CONNECTIONS: Record<string, ConnectionCase> = {
  'Query.datanets': (a) => `{ datanets(${a}) { totalCount } }`,
  'Query.contributions': (a) => `{ contributions(${a}) { totalCount } }`,
  'Query.bridgeTransfers': (a) => `{ bridgeTransfers(${a}) { totalCount } }`,
  'Query.epochs': (a) => `{ epochs(${a}) { totalCount } }`,
  'Contributor.contributions': (a) => `{ contributor(address: "${c0}") { contributions(${a}) { totalCount } } }`,
  'Contributor.payouts': (a) => `{ contributor(address: "${c0}") { payouts(${a}) { totalCount } } }`,
  'Reputation.history': (a) => `{ contributor(address: "${c0}") { reputation { history(${a}) { totalCount } } } }`,
  'Model.adapters': (a) => `{ model(id: "7") { adapters(${a}) { totalCount } } }`,
  'Model.epochs': (a) => `{ model(id: "7") { epochs(${a}) { totalCount } } }`,
  'Inference.attributions': (a) => `{ inference(id: "${inference()}") { attributions(${a}) { totalCount } } }`,
  'Inference.payouts': (a) => `{ inference(id: "${inference()}") { payouts(${a}) { totalCount } } }`,
  'BridgeAccount.tokens': (a) => `{ bridgeAccount(address: "${ADDR.bridgers[0]}") { tokens(${a}) { totalCount } } }`,
  'BridgeAccount.transfers': (a) =>
    `{ bridgeAccount(address: "${ADDR.bridgers[0]}") { transfers(${a}) { totalCount } } }`,
  'Epoch.accounts': (a) => `{ epoch(number: "1") { accounts(${a}) { totalCount } } }`,
  'Epoch.datanets': (a) => `{ epoch(number: "1") { datanets(${a}) { totalCount } } }`,
  'Epoch.models': (a) => `{ epoch(number: "1") { models(${a}) { totalCount } } }`,
  'Datanet.epochs': (a) => `{ datanet(id: "1") { epochs(${a}) { totalCount } } }`,
  'Datanet.contributions': (a) => `{ datanet(id: "1") { contributions(${a}) { totalCount } } }`,
  'Datanet.validators': (a) => `{ datanet(id: "1") { validators(${a}) { totalCount } } }`,
  'Datanet.slashes': (a) => `{ datanet(id: "1") { slashes(${a}) { totalCount } } }`,
  'Contribution.reviews': (a) => `{ contribution(id: "1") { reviews(${a}) { totalCount } } }`,
  'Contribution.attributions': (a) => `{ contribution(id: "1") { attributions(${a}) { totalCount } } }`,
  'Contributor.claims': (a) => `{ contributor(address: "${c0}") { claims(${a}) { totalCount } } }`,
  'Contributor.slashes': (a) => `{ contributor(address: "${c0}") { slashes(${a}) { totalCount } } }`,
  'Model.inferences': (a) => `{ model(id: "7") { inferences(${a}) { totalCount } } }`,
  'Query.models': (a) => `{ models(${a}) { totalCount } }`,
  'Query.inferences': (a) => `{ inferences(${a}) { totalCount } }`,
  'Query.reviews': (a) => `{ reviews(${a}) { totalCount } }`,
  'Query.slashes': (a) => `{ slashes(${a}) { totalCount } }`,
  'Query.claims': (a) => `{ claims(${a}) { totalCount } }`,
  'Query.creditPurchases': (a) => `{ creditPurchases(${a}) { totalCount } }`,
  'Query.datanetCreationFees': (a) => `{ datanetCreationFees(${a}) { totalCount } }`,
  'Query.anomalies': (a) => `{ anomalies(${a}) { totalCount } }`,
  'Query.contributorLeaderboard': (a) => `{ contributorLeaderboard(by: EARNINGS, ${a}) { totalCount } }`,
  'Query.datanetLeaderboard': (a) => `{ datanetLeaderboard(by: FEES, ${a}) { totalCount } }`,
  'Query.modelLeaderboard': (a) => `{ modelLeaderboard(by: FEES, ${a}) { totalCount } }`,
};

/** Every other validated argument or input field: queries with an invalid value, and the name the error must give. */
const ARGUMENTS: Record<string, [query: string, argument: string][]> = {
  'Query.datanet(id)': [['{ datanet(id: "0x01") { id } }', 'id']],
  'Query.contribution(id)': [['{ contribution(id: "-4") { id } }', 'id']],
  'Query.contributor(address)': [['{ contributor(address: "0x123") { address } }', 'address']],
  'Query.model(id)': [['{ model(id: "seven") { id } }', 'id']],
  'Query.inference(id)': [['{ inference(id: "0x1234") { id } }', 'id']],
  'Query.bridgeAccount(address)': [[`{ bridgeAccount(address: "0x${'g'.repeat(40)}") { address } }`, 'address']],
  'Query.epoch(number)': [['{ epoch(number: "1e3") { id } }', 'number']],
  'Query.claimProof(epoch)': [
    [`{ claimProof(epoch: "one", account: "${c0}") { amount } }`, 'epoch'],
    [`{ claimProof(epoch: "-1", account: "${c0}") { amount } }`, 'epoch'],
    [`{ claimProof(epoch: "99", account: "${c0}") { amount } }`, 'epoch'],
  ],
  'Query.claimProof(account)': [['{ claimProof(epoch: "1", account: "0x1") { amount } }', 'account']],
  'Contributor.payouts(epoch)': [
    [`{ contributor(address: "${c0}") { payouts(epoch: "x") { totalCount } } }`, 'epoch'],
    [`{ contributor(address: "${c0}") { payouts(epoch: -3) { totalCount } } }`, 'epoch'],
  ],
  'Contributor.reputationAt(block)': [
    [`{ contributor(address: "${c0}") { reputationAt(block: -1) { score } } }`, 'block'],
  ],
  'Reputation.history(fromBlock)': [
    [`{ contributor(address: "${c0}") { reputation { history(fromBlock: -1) { totalCount } } } }`, 'fromBlock'],
  ],
  'Reputation.history(toBlock)': [
    [`{ contributor(address: "${c0}") { reputation { history(toBlock: -5) { totalCount } } } }`, 'toBlock'],
  ],
  'DatanetWhere.owner': [['{ datanets(where: { owner: "0x" }) { totalCount } }', 'where.owner']],
  'ContributionWhere.datanetId': [['{ contributions(where: { datanetId: "one" }) { totalCount } }', 'where.datanetId']],
  'ContributionWhere.contributor': [
    ['{ contributions(where: { contributor: "alice" }) { totalCount } }', 'where.contributor'],
  ],
  'ContributionWhere.submittedAfterBlock': [
    ['{ contributions(where: { submittedAfterBlock: -1 }) { totalCount } }', 'where.submittedAfterBlock'],
  ],
  'ContributorContributionsWhere.datanetId': [
    [
      `{ contributor(address: "${c0}") { contributions(where: { datanetId: "0x2" }) { totalCount } } }`,
      'where.datanetId',
    ],
  ],
  'BridgeTransferWhere.account': [['{ bridgeTransfers(where: { account: "0xabc" }) { totalCount } }', 'where.account']],
  'ContributionWhere.submittedBeforeBlock': [
    ['{ contributions(where: { submittedBeforeBlock: -2 }) { totalCount } }', 'where.submittedBeforeBlock'],
  ],
  'DatanetContributionsWhere.contributor': [
    ['{ datanet(id: "1") { contributions(where: { contributor: "bob" }) { totalCount } } }', 'where.contributor'],
  ],
  'ModelWhere.owner': [['{ models(where: { owner: "0x12" }) { totalCount } }', 'where.owner']],
  'ModelWhere.datanetId': [['{ models(where: { datanetId: "d1" }) { totalCount } }', 'where.datanetId']],
  'ContributionReviewWhere.validator': [['{ reviews(where: { validator: "v" }) { totalCount } }', 'where.validator']],
  'ContributionReviewWhere.contributionId': [
    ['{ reviews(where: { contributionId: "c" }) { totalCount } }', 'where.contributionId'],
  ],
  'SlashWhere.datanetId': [['{ slashes(where: { datanetId: "-1" }) { totalCount } }', 'where.datanetId']],
  'SlashWhere.contributor': [['{ slashes(where: { contributor: "0x0" }) { totalCount } }', 'where.contributor']],
  'RewardClaimWhere.account': [['{ claims(where: { account: "me" }) { totalCount } }', 'where.account']],
  'RewardClaimWhere.epoch': [['{ claims(where: { epoch: "-1" }) { totalCount } }', 'where.epoch']],
  'UserWhere.user': [
    ['{ creditPurchases(where: { user: "0x1" }) { totalCount } }', 'where.user'],
    ['{ datanetCreationFees(where: { user: "0x1" }) { totalCount } }', 'where.user'],
  ],
  'AnomalyWhere.kind': [['{ anomalies(where: { kind: "not a kind" }) { totalCount } }', 'where.kind']],
  'AnomalyWhere.fromBlock': [['{ anomalies(where: { fromBlock: -1 }) { totalCount } }', 'where.fromBlock']],
  'InferenceWhere.modelId': [['{ inferences(where: { modelId: "m" }) { totalCount } }', 'where.modelId']],
  'InferenceWhere.payer': [['{ inferences(where: { payer: "0x" }) { totalCount } }', 'where.payer']],
  'InferenceWhere.epoch': [['{ inferences(where: { epoch: "-3" }) { totalCount } }', 'where.epoch']],
  'InferenceWhere.fromBlock': [['{ inferences(where: { fromBlock: -1 }) { totalCount } }', 'where.fromBlock']],
  'InferenceWhere.toBlock': [
    ['{ inferences(where: { toBlock: -1 }) { totalCount } }', 'where.toBlock'],
    ['{ inferences(where: { fromBlock: 9, toBlock: 8 }) { totalCount } }', 'where.toBlock'],
  ],
  'Contributor.payouts(asOfBlock)': [
    [`{ contributor(address: "${c0}") { payouts(asOfBlock: 999999999) { totalCount } } }`, 'asOfBlock'],
  ],
  'Contributor.reputation(asOfBlock)': [
    [`{ contributor(address: "${c0}") { reputation(asOfBlock: -1) { score } } }`, 'asOfBlock'],
  ],
  'Contributor.payoutTotals(asOfBlock)': [
    [`{ contributor(address: "${c0}") { payoutTotals(asOfBlock: 999999999) { earnedTotal } } }`, 'asOfBlock'],
  ],
  'Query.stats(from)': [['{ stats(interval: DAY, from: "yesterday", to: "2026-01-02T00:00:00Z") { scope } }', 'from']],
  'Query.stats(to)': [
    ['{ stats(interval: DAY, from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z") { scope } }', 'to'],
  ],
  'Query.stats(datanetId)': [
    [
      '{ stats(interval: DAY, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", datanetId: "x") { scope } }',
      'datanetId',
    ],
  ],
  'Query.stats(modelId)': [
    [
      '{ stats(interval: DAY, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", modelId: "x") { scope } }',
      'modelId',
    ],
  ],
  'Query.contributorLeaderboard(epoch)': [
    ['{ contributorLeaderboard(by: EARNINGS, epoch: "-1") { totalCount } }', 'epoch'],
  ],
  'Query.contributorLeaderboard(datanetId)': [
    ['{ contributorLeaderboard(by: EARNINGS, datanetId: "x") { totalCount } }', 'datanetId'],
  ],
  'Subscription.contributorUpdates(address)': [
    ['subscription { contributorUpdates(address: "0x9") { address } }', 'address'],
  ],
  'Subscription.modelInferences(modelId)': [
    ['subscription { modelInferences(modelId: "m") { __typename } }', 'modelId'],
  ],
  'BridgeTransferWhere.withdrawalHash': [
    ['{ bridgeTransfers(where: { withdrawalHash: "0xzz" }) { totalCount } }', 'where.withdrawalHash'],
  ],
};

/** Runs a query that must fail with one BAD_USER_INPUT error naming `argument`. */
async function assertBadInput(query: string, argument: string, variables?: Record<string, unknown>) {
  const res = await fx.gql(query, variables);
  assert.equal(res.errors?.length, 1, `${query}: ${JSON.stringify(res)}`);
  const [err] = res.errors!;
  assert.equal(err.extensions?.code, 'BAD_USER_INPUT', `${query}: ${JSON.stringify(err)}`);
  assert.ok(err.message.startsWith(`Argument "${argument}" `), `${query}: ${err.message}`);
  assert.equal(err.extensions?.argument, argument, query);
}

/** Arguments and input fields whose every value is valid (enums, booleans) need no case. */
function needsValidation(type: GraphQLInputType): boolean {
  const named = getNamedType(type);
  return !isEnumType(named) && !(isScalarType(named) && named.name === 'Boolean') && !isInputObjectType(named);
}

describe('argument audit', () => {
  test('every argument and input field that can be invalid has a case here', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          const key = `${type.name}.${field.name}`;
          for (const arg of field.args) {
            if (arg.name === 'first' || arg.name === 'after') {
              if (!(key in CONNECTIONS)) missing.push(`${key}(${arg.name})`);
            } else if (needsValidation(arg.type) && !(`${key}(${arg.name})` in ARGUMENTS)) {
              missing.push(`${key}(${arg.name})`);
            }
          }
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (needsValidation(field.type) && !(`${type.name}.${field.name}` in ARGUMENTS)) {
            missing.push(`${type.name}.${field.name}`);
          }
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  for (const [field, query] of Object.entries(CONNECTIONS)) {
    test(`${field}: first above 1000 or below 0 names "first", a foreign or malformed cursor names "after"`, async () => {
      await assertBadInput(query('first: 1001'), 'first');
      await assertBadInput(query('first: -1'), 'first');
      await assertBadInput(query('after: "not a cursor!"'), 'after');
      const ok = await fx.gql(query('first: 1000'));
      assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
    });
  }

  for (const [key, cases] of Object.entries(ARGUMENTS)) {
    test(`${key}: an invalid value names "${cases[0][1]}"`, async () => {
      for (const [query, argument] of cases) await assertBadInput(query, argument);
    });
  }

  test('argumentNameOf names arguments and input fields with dots', () => {
    const document = parse('{ a(x: 1, where: { range: { from: "2025" } }) { b } }');
    const found: Record<string, string | null> = {};
    visit(document, {
      IntValue: (node) => void (found.int = argumentNameOf(document, node)),
      StringValue: (node) => void (found.string = argumentNameOf(document, node)),
      Field: (node) => void (found[node.name.value] ??= argumentNameOf(document, node)),
    });
    assert.deepEqual(found, { a: null, int: 'x', string: 'where.range.from', b: null });
  });

  test('a scalar refused in a variable names the variable', async () => {
    const res = await fx.gql(`query($e: BigInt!) { claimProof(epoch: $e, account: "${c0}") { amount } }`, { e: 'one' });
    assert.equal(res.errors?.length, 1, JSON.stringify(res));
    assert.equal(res.errors![0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(
      res.errors![0].message,
      /^Variable "\$e" got invalid value "one"; BigInt must be a decimal integer string/,
    );
  });
});
