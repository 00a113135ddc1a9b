// What a resolver's field selects below it, read from the operation before its children resolve:
// a root resolver that knows which child fields will be asked for can load them in its own
// statement (and prime their DataLoaders) instead of leaving one more round trip to each.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Names of the fields selected directly below the field being resolved, through inline fragments
 * and fragment spreads. `@include`/`@skip` are not evaluated: a skipped field still counts, so the
 * answer may over-select but never misses a field.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return names;
}
