/**
 * Preloaded (`node -r`) into the @subsquid/graphql-server process of `npm run bench:api`, and only
 * there. The installed tree holds three copies of graphql: 16 at the root (our API's, and the one
 * @subsquid/apollo-server-core resolves) and 15.11 under both @subsquid/graphql-server and
 * @subsquid/openreader. The server builds its schema with one copy and merges and executes it with
 * another, and refuses to start ("Cannot use GraphQLObjectType "Query" from another module or
 * realm"). Resolving every graphql import of this process to the server's own copy gives it a single
 * graphql, of the version it declares (^15.8; every other package in the process accepts 15).
 */
import Module from 'node:module';
import path from 'node:path';

const serverDir = path.dirname(require.resolve('@subsquid/graphql-server/package.json'));
const graphqlDir = path.dirname(require.resolve('graphql/package.json', { paths: [serverDir] }));

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
  if (request === 'graphql' || request.startsWith('graphql/')) {
    request = graphqlDir + request.slice('graphql'.length);
  }
  return resolve.call(this, request, ...rest);
};
