import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from '../builder';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination';

const DECIMAL = /^-?[0-9]+$/;

/** A refused scalar value; with its literal's node, the server names the argument (argumentErrors.ts). */
function invalid(message: string, node?: ValueNode): GraphQLError {
  return new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } });
}

function parseBigInt(value: unknown, node?: ValueNode): string {
  if (typeof value === 'string' && DECIMAL.test(value)) return BigInt(value).toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw invalid(`BigInt must be a decimal integer string, got ${JSON.stringify(value)}.`, node);
}

builder.scalarType('BigInt', {
  description:
    'An integer of any size (uint256 amounts in wei, on-chain ids) as a decimal string, never rounded through a float.',
  serialize: (value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'string' && DECIMAL.test(value)) return value;
    throw new Error(`BigInt cannot serialize ${typeof value}`);
  },
  parseValue: (value) => parseBigInt(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseBigInt(ast.value, ast);
    throw invalid('BigInt must be a decimal integer string.', ast);
  },
});

function parseDateTime(value: unknown, node?: ValueNode): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw invalid(`DateTime must be an ISO 8601 string, got ${JSON.stringify(value)}.`, node);
  return date;
}

builder.scalarType('DateTime', {
  description: 'A point in time as an ISO 8601 string in UTC (block timestamps).',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return parseDateTime(ast.value, ast);
    throw invalid('DateTime must be an ISO 8601 string.', ast);
  },
});

builder.queryType({ description: 'Read-only queries over the indexed OpenLedger data.' });

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Number of rows in the whole list under the same filters (counted only when selected).',
    resolve: (connection) => connection.totalCount(),
  }),
);

/** The `first` / `after` arguments of every list (forward keyset pagination). */
export const pageArgs = builder.args((t) => ({
  first: t.int({
    required: false,
    description: `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}.`,
  }),
  after: t.string({
    required: false,
    description: 'Return the rows after this cursor (an `endCursor` or edge `cursor` of the same list).',
  }),
}));
