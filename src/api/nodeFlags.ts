/**
 * The node flag the API process runs with (npm start, npm run api, compose, squid.yaml, the Dockerfile):
 * a 64 MB semi-space for the young generation. With the default one, the objects of the 50 or so
 * requests in flight (rows, results, response text) outlive scavenges, get promoted and are collected
 * by full mark-compacts: on bench:api this flag took our API's CPU per request on 50-row pages from
 * 1.55-2.76 ms to 1.04-1.40 ms (two alternating runs each, page 1 of contributions and the Datanet
 * board). `src/test/deployFiles.test.ts` checks that every launcher passes it.
 */
export const API_NODE_FLAG = '--max-semi-space-size=64';
