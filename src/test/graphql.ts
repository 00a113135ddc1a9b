/** A minimal GraphQL client for tests: POSTs a query and fails loudly on errors. */
export function createGraphqlClient(url: string) {
  return async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length)
      throw new Error(`GraphQL errors: ${body.errors.map((e) => e.message).join('; ')}\n${query}`);
    return body.data as T;
  };
}

/** Follows a connection to the end: `select(data)` returns the connection of each page. */
export async function fetchAllPages<N>(
  gql: ReturnType<typeof createGraphqlClient>,
  query: string,
  select: (data: any) => { edges: { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } },
  variables: Record<string, unknown> = {},
): Promise<N[]> {
  const out: N[] = [];
  let after: string | null = null;
  for (;;) {
    const conn = select(await gql(query, { ...variables, after }));
    out.push(...conn.edges.map((e) => e.node));
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
}
