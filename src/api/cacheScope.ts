// Which accounts a cached answer depends on, when it depends on nothing else. A contributor page
// reads only its account's row, its per-epoch payout rows and whether those epochs are closed; the
// processor moves the row's `last_activity_block` on every change of the row or of its payouts
// (store `account()`), and an epoch closes with `closed_at_block`. So after a commit, such an answer
// is still exact unless its account changed in the committed range or one of its epochs closed
// there: the response cache keeps it instead of clearing it (see responseCache.ts). Any field
// outside the list below (a Datanet, a rank, a time-travel argument) makes the answer global: it is
// cleared on every commit.
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldNodesIn } from './lookahead';

/** What a field may be asked with and select below, for its answer to stay scoped to the account. */
interface Allowed {
  /** Arguments it may be given (any value). */
  args?: readonly string[];
  /** The fields it may select below; absent: a leaf. */
  below?: Spec;
}
type Spec = Readonly<Record<string, Allowed>>;

const leaves = (names: string): Spec => Object.fromEntries(names.split(/\s+/).map((n) => [n, {}]));
const PAGE_INFO = leaves('hasNextPage hasPreviousPage startCursor endCursor');

/**
 * The fields of `contributor(address:)` answered from the account row, its `account_epoch` rows and
 * their epochs' `closed` flag, and nothing else. Not here, so global: contributions, claims, slashes
 * (rows of other tables), reputation history and every `asOfBlock` (history rows).
 */
const CONTRIBUTOR: Spec = {
  ...leaves(
    'address contributionCount pendingCount acceptedCount rejectedCount duplicateCount acceptedQualitySum ' +
      'slashCount slashedAmount eligibleAttributionCount earnedAsContributor earnedAsDatanetOwner ' +
      'earnedAsModelOwner earnedTotal claimedTotal inferencesPaid feesPaid firstSeenBlock lastActivityBlock ' +
      'claimed claimable pending',
  ),
  reputation: {
    below: leaves(
      'score acceptanceBps qualityBps impactBps accepted rejected duplicates slashes acceptedQualitySum earned ' +
        'updatedAtBlock asOfBlock',
    ),
  },
  payoutTotals: {
    below: leaves(
      'asOfBlock earnedAsContributor earnedAsDatanetOwner earnedAsModelOwner earnedTotal claimed claimable pending',
    ),
  },
  payouts: {
    args: ['first', 'after', 'epoch'],
    below: {
      totalCount: {},
      pageInfo: { below: PAGE_INFO },
      edges: {
        below: {
          cursor: {},
          node: {
            below: leaves(
              'id epoch account asContributor asDatanetOwner asModelOwner total claimed claimCount epochClosed ' +
                'claimable pending firstAccruedAtBlock lastClaimAtBlock',
            ),
          },
        },
      },
    },
  },
};

/** A document's fragments by name (what {@link fieldNodesIn} follows spreads with). */
export type Fragments = (name: string) => FragmentDefinitionNode | undefined;

/** The fragments of `document`, looked up by name. */
export function documentFragments(document: DocumentNode): Fragments {
  return (name) =>
    document.definitions.find(
      (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
    );
}

/**
 * The (lowercase) addresses a query's answer depends on when it selects only `contributor(address:)`
 * fields from the list above (`__typename` anywhere), or null when it may depend on anything else.
 * An address that is not a string is left to the resolver (its error is not cached either).
 */
export function accountScope(
  operation: OperationDefinitionNode,
  fragments: Fragments,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): string[] | null {
  const fieldsOf = (set: SelectionSetNode | undefined) => fieldNodesIn([set], fragments);
  const within = (set: SelectionSetNode | undefined, spec: Spec): boolean =>
    !!set &&
    fieldsOf(set).every((f) => {
      if (f.name.value === '__typename') return true;
      const allowed = Object.hasOwn(spec, f.name.value) ? spec[f.name.value] : undefined;
      if (!allowed) return false;
      if (!(f.arguments ?? []).every((a) => allowed.args?.includes(a.name.value))) return false;
      return allowed.below ? within(f.selectionSet, allowed.below) : !f.selectionSet;
    });
  const addresses = new Set<string>();
  for (const f of fieldsOf(operation.selectionSet)) {
    if (f.name.value === '__typename') continue;
    if (f.name.value !== 'contributor' || f.arguments?.length !== 1) return null;
    const arg = f.arguments[0];
    if (arg.name.value !== 'address') return null;
    const value =
      arg.value.kind === Kind.STRING
        ? arg.value.value
        : arg.value.kind === Kind.VARIABLE
          ? variables?.[arg.value.name.value]
          : undefined;
    if (typeof value !== 'string' || !within(f.selectionSet, CONTRIBUTOR)) return null;
    addresses.add(value.toLowerCase());
  }
  return addresses.size > 0 ? [...addresses] : null;
}
