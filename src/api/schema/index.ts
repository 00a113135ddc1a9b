// Gathers the type files (each registers its types and query fields on the builder) and builds the schema.
import { builder } from '../builder';
import './common';
import './meta';
import './datanet';
import './contribution';
import './contributor';
import './model';
import './inference';
import './bridge';
import './protocol';
import './payouts';
import './reputation';
import './activity';
import './mainnet';
import './inferences';
import './stats';
import './timeTravel';
import './leaderboard';
import './live';

/** The API's executable GraphQL schema. */
export const schema = builder.toSchema({ sortSchema: false });
