// What a resolver's field selects below it, read from the operation before its children resolve:
// a root resolver that knows which child fields will be asked for can load them in its own
// statement (and prime their DataLoaders) instead of leaving one more round trip to each.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Names of the fields a selection set selects at its own level, through inline fragments and
 * fragment spreads (`fragments`: the document's, by name). `@include`/`@skip` are not evaluated: a
 * skipped field still counts, so the answer may over-select but never misses a field.
 */
export function fieldNamesIn(
  sets: readonly (SelectionSetNode | undefined)[],
  fragments: (name: string) => { selectionSet: SelectionSetNode } | undefined,
): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(fragments(selection.name.value)?.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return names;
}

/** Names of the fields selected directly below the field being resolved (see {@link fieldNamesIn}). */
export function selectedFieldNames(info: GraphQLResolveInfo): Set<string> {
  return fieldNamesIn(
    info.fieldNodes.map((node) => node.selectionSet),
    (name) => info.fragments[name],
  );
}
