// What a resolver's field selects below it, read from the operation before its children resolve:
// a root resolver that knows which child fields will be asked for can load them in its own
// statement (and prime their DataLoaders) instead of leaving one more round trip to each.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields a selection set selects at its own level, through inline fragments and fragment
 * spreads (`fragments`: the document's, by name; an unknown one adds nothing, validation refuses it).
 * `@include`/`@skip` are not evaluated: a skipped field still counts, so the answer may over-select
 * but never misses a field.
 */
export function fieldNodesIn(
  sets: readonly (SelectionSetNode | undefined)[],
  fragments: (name: string) => { selectionSet: SelectionSetNode } | undefined,
): FieldNode[] {
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(fragments(selection.name.value)?.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return fields;
}

/** Names of the fields a selection set selects at its own level (see {@link fieldNodesIn}). */
export function fieldNamesIn(
  sets: readonly (SelectionSetNode | undefined)[],
  fragments: (name: string) => { selectionSet: SelectionSetNode } | undefined,
): Set<string> {
  return new Set(fieldNodesIn(sets, fragments).map((f) => f.name.value));
}

/** Names of the fields selected directly below the field being resolved (see {@link fieldNamesIn}). */
export function selectedFieldNames(info: GraphQLResolveInfo): Set<string> {
  return fieldNamesIn(
    info.fieldNodes.map((node) => node.selectionSet),
    (name) => info.fragments[name],
  );
}
