import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import { createChainHeadSource } from './chainHead';
import type { ApiContext } from './context';
import { createApiDb } from './db';
import { silentLogger, type ApiLogger } from './log';
import { schema } from './schema';

/** Parameters of {@link createApiServer}. */
export interface ApiServerParameters {
  /** postgres:// URL of the indexer database (a read-only role is enough). */
  dbUrl: string;
  /** TCP port (default 4350; 0 picks a free one). */
  port?: number;
  /** Interface to bind (default 0.0.0.0). */
  host?: string;
  /** JSON-RPC URL for `_meta.chainHead` (default: none, chainHead is null). */
  rpcUrl?: string;
  /** Blocks behind the head considered final, for `_meta.finalizedHeight` (default 0). */
  finalityConfirmations?: number;
  /** Per-statement timeout in ms (default 5000). */
  statementTimeoutMs?: number;
  /** Structured log sink (default: silent). */
  log?: ApiLogger;
}

/** A running API server. */
export interface ApiServer {
  /** `http://host:port/graphql` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  /** Stops accepting requests, closes open connections and the database pool. */
  close(): Promise<void>;
}

/** Starts the GraphQL API (graphql-yoga on node:http, path /graphql, GraphiQL on, errors masked). */
export async function createApiServer({
  dbUrl,
  port = 4350,
  host = '0.0.0.0',
  rpcUrl,
  finalityConfirmations = 0,
  statementTimeoutMs,
  log = silentLogger,
}: ApiServerParameters): Promise<ApiServer> {
  const db = createApiDb({ url: dbUrl, statementTimeoutMs, log });
  const chainHead = createChainHeadSource({ rpcUrl, log });
  const yoga = createYoga<Record<string, unknown>, ApiContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: true,
    landingPage: false,
    context: (): ApiContext => ({ db, chainHead, finalityConfirmations }),
    maskedErrors: {
      errorMessage: 'Unexpected error.',
      isDev: false,
      maskError: (error, message) => {
        const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
        if (!(original instanceof GraphQLError)) {
          log('error', { msg: 'unexpected error in a GraphQL request', error: String(original) });
        }
        return maskError(error, message, false);
      },
    },
    logging: {
      debug: () => {},
      info: (...args) => log('info', { msg: args.map(String).join(' ') }),
      warn: (...args) => log('warn', { msg: args.map(String).join(' ') }),
      error: (...args) => log('error', { msg: args.map(String).join(' ') }),
    },
  });
  const server = createServer(yoga);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await db.close();
    throw new Error(`GraphQL API could not listen on ${host}:${port}: set GRAPHQL_PORT to a free port`, { cause: err });
  }
  const { port: actualPort } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${actualPort}/graphql`;
  log('info', { msg: 'GraphQL API listening', url });
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await db.close();
      })()),
  };
}
