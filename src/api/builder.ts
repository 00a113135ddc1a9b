import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { ApiContext } from './context';

/** Type parameters of the schema builder. */
export interface ApiSchemaTypes {
  Context: ApiContext;
  Scalars: {
    /** Decimal string in and out; rows hold numeric columns as decimal strings. */
    BigInt: { Input: string; Output: string | bigint };
    DateTime: { Input: Date; Output: Date | string };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  /** Every connection carries a lazy count, run only when `totalCount` is selected. */
  Connection: { totalCount: () => Promise<number> };
}

/** The Pothos builder: relay connections (forward keyset cursors) and per-request DataLoaders. */
export const builder = new SchemaBuilder<ApiSchemaTypes>({
  plugins: [RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false, description: 'The rows of this page, in the list order.' },
    nodeFieldOptions: { nullable: false, description: 'The row.' },
    cursorFieldOptions: { description: 'Opaque cursor of this row: pass it as `after` to continue after it.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the list.' },
    pageInfoTypeOptions: { description: 'Pagination state of a connection page.' },
    hasNextPageFieldOptions: { description: 'True when rows follow this page.' },
    hasPreviousPageFieldOptions: {
      description: 'True when this page was requested with `after` (rows may precede it); lists only page forward.',
    },
    startCursorFieldOptions: { description: 'Cursor of the first row of this page (null when empty).' },
    endCursorFieldOptions: { description: 'Cursor of the last row of this page (null when empty): the next `after`.' },
  },
});
