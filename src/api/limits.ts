// Request limits of the GraphQL API: depth and aliases (graphql-armor validation rules), tokens
// (graphql-armor's counting parser), cost (our own rule: page sizes multiply through nesting,
// which armor's static cost cannot know), body size (bodyLimit.ts), the statement timeout
// (db.ts) and the CSV exports' own timeout and concurrency (export/). Every refusal is a GraphQLError with code LIMIT_EXCEEDED naming the limit, its value
// and the variable that sets it.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { computeQueryCost } from './cost';

/** The limits of one API server. */
export interface ApiLimits {
  /** Deepest field nesting of an operation (default 12). */
  maxDepth: number;
  /** Aliased fields in an operation (default 30). */
  maxAliases: number;
  /** Lexical tokens in a document (default 2000). */
  maxTokens: number;
  /** Query cost, the rows a response can hold (default 20,000; see cost.ts). */
  maxCost: number;
  /** Bytes of a request body (default 102,400). */
  maxBodyBytes: number;
  /** Milliseconds a database statement may run before Postgres cancels it (default 5000). */
  statementTimeoutMs: number;
  /** Milliseconds a CSV export's COPY may run, download included, before Postgres cancels it (default 60,000). */
  exportStatementTimeoutMs: number;
  /** CSV exports streaming at once, each holding a pooled connection (default 2 of the pool's 10). */
  maxConcurrentExports: number;
}

/** Defaults of {@link ApiLimits}. */
export const DEFAULT_API_LIMITS: Readonly<ApiLimits> = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 2000,
  maxCost: 20_000,
  maxBodyBytes: 100 * 1024,
  statementTimeoutMs: 5000,
  exportStatementTimeoutMs: 60_000,
  maxConcurrentExports: 2,
};

/** The environment variable behind each limit. */
export const API_LIMIT_ENV: Readonly<Record<keyof ApiLimits, string>> = {
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxTokens: 'GRAPHQL_MAX_TOKENS',
  maxCost: 'GRAPHQL_MAX_COST',
  maxBodyBytes: 'GRAPHQL_MAX_BODY_BYTES',
  statementTimeoutMs: 'GRAPHQL_STATEMENT_TIMEOUT_MS',
  exportStatementTimeoutMs: 'EXPORT_STATEMENT_TIMEOUT_MS',
  maxConcurrentExports: 'EXPORT_MAX_CONCURRENT',
};

/** Reads the limits from the environment (unset or empty: the default); throws naming a bad variable. */
export function readApiLimits(env: NodeJS.ProcessEnv = process.env): ApiLimits {
  const limits = { ...DEFAULT_API_LIMITS };
  for (const key of Object.keys(API_LIMIT_ENV) as (keyof ApiLimits)[]) {
    const name = API_LIMIT_ENV[key];
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got "${env[name]}")`);
    limits[key] = n;
  }
  return limits;
}

/** The client-facing error of a refused request: code LIMIT_EXCEEDED, the limit's name, value and what was found. */
export function limitExceeded(limit: keyof ApiLimits, message: string, max: number, found?: number): GraphQLError {
  return new GraphQLError(`${message} (${API_LIMIT_ENV[limit]}).`, {
    extensions: { code: 'LIMIT_EXCEEDED', limit, max, ...(found === undefined ? {} : { found }) },
  });
}

/** armor reports "… limit of N exceeded, found M."; the count it found. */
const foundIn = (err: GraphQLError) => Number(/found (\d+)/.exec(err.message)?.[1] ?? NaN);

/** The yoga plugins enforcing depth, aliases, tokens and cost. */
export function createLimitPlugins(limits: ApiLimits): Plugin[] {
  const { maxDepth, maxAliases, maxTokens, maxCost } = limits;
  const report = (context: ValidationContext | null, error: GraphQLError) => {
    if (context) context.reportError(error);
    else throw error;
  };
  const costCheck = (args: {
    schema: Parameters<typeof computeQueryCost>[0]['schema'];
    document: Parameters<typeof computeQueryCost>[0]['document'];
    operationName?: string | null;
    variableValues?: Record<string, unknown> | null;
  }): GraphQLError | null => {
    const cost = computeQueryCost({
      schema: args.schema,
      document: args.document,
      operationName: args.operationName,
      variables: args.variableValues,
    });
    if (cost <= maxCost) return null;
    return limitExceeded(
      'maxCost',
      `Query cost ${cost} exceeds the limit of ${maxCost}: the cost counts the rows a response can hold, ` +
        'each list counting its page size (first, default 50) times the rows of the lists around it; ' +
        'ask for smaller pages or fewer nested lists',
      maxCost,
      cost,
    );
  };
  return [
    EnvelopArmorPlugin({
      maxTokens: {
        n: maxTokens,
        propagateOnRejection: false,
        onReject: [
          () => {
            throw limitExceeded('maxTokens', `Query has more than ${maxTokens} tokens, the limit`, maxTokens);
          },
        ],
      },
      maxDepth: {
        n: maxDepth,
        propagateOnRejection: false,
        onReject: [
          (context, err) => {
            const found = foundIn(err);
            const message = `Query depth ${found} exceeds the limit of ${maxDepth}`;
            report(context, limitExceeded('maxDepth', message, maxDepth, found));
          },
        ],
      },
      maxAliases: {
        n: maxAliases,
        propagateOnRejection: false,
        onReject: [
          (context, err) => {
            const found = foundIn(err);
            const message = `Query has ${found} aliases, above the limit of ${maxAliases}`;
            report(context, limitExceeded('maxAliases', message, maxAliases, found));
          },
        ],
      },
      // armor's cost is static (it cannot see `first`): ours below replaces it. Directives are
      // bounded by the token limit. Field suggestions stay: the schema is public (introspection, GraphiQL).
      costLimit: { enabled: false },
      maxDirectives: { enabled: false },
      blockFieldSuggestion: { enabled: false },
    }),
    {
      // Cost needs the variables (a page size is often `first: $n`), so it runs before execution,
      // not in validation (whose results yoga caches per document).
      onExecute({ args, setResultAndStopExecution }) {
        const error = costCheck(args);
        if (error) setResultAndStopExecution({ errors: [error] });
      },
      onSubscribe({ args, setResultAndStopExecution }) {
        const error = costCheck(args);
        if (error) setResultAndStopExecution({ errors: [error] });
      },
    },
  ];
}
