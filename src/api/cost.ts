// Query cost: an upper bound on the rows (objects) a response can hold, computed from the document
// and its variables before execution. Page sizes multiply through nesting, so
// `datanets(first: 100) { epochs(first: 1000) { ... } }` costs 100 + 100 * 1000 = 100,100.
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/** Rows assumed for a plain (non-connection) list of objects, e.g. a model's Datanets. */
export const LIST_SIZE_ESTIMATE = 10;

/** Parameters of {@link computeQueryCost}. */
export interface QueryCostParameters {
  schema: GraphQLSchema;
  document: DocumentNode;
  /** Which operation of the document runs (default: its only one). */
  operationName?: string | null;
  /** Variable values as sent (raw JSON). */
  variables?: Record<string, unknown> | null;
}

/**
 * The cost of the operation: every object a field can return counts 1, times the rows of the
 * lists around it. A connection (a type with `edges` and `pageInfo`) counts its page size
 * (`first`, default 50, at most 1000) and multiplies everything under its `edges`; `edges`,
 * `node` and `pageInfo` themselves are free, as are scalars and introspection. A plain list of
 * objects counts {@link LIST_SIZE_ESTIMATE} rows. Returns 0 when the operation is not found.
 */
export function computeQueryCost({ schema, document, operationName, variables }: QueryCostParameters): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const vars: Record<string, unknown> = { ...variables };
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (vars[name] === undefined && def.defaultValue) vars[name] = valueFromASTUntyped(def.defaultValue);
  }

  const pageSize = (field: GraphQLField<unknown, unknown>, args: Map<string, unknown>): number => {
    if (!field.args.some((a) => a.name === 'first')) return DEFAULT_PAGE_SIZE;
    const first = args.get('first');
    if (typeof first !== 'number' || !Number.isFinite(first)) return DEFAULT_PAGE_SIZE;
    // An out-of-range `first` is refused by its resolver, naming the argument: count what it may return.
    return Math.min(Math.max(Math.floor(first), 0), MAX_PAGE_SIZE);
  };

  /** Cost of a selection on `parent` when `rows` parents are returned (`page`: page size when parent is a connection). */
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, rows: number, page = 0): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition && schema.getType(selection.typeCondition.name.value);
        cost += walk(selection.selectionSet, (type as GraphQLCompositeType) || parent, rows, page);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type) cost += walk(fragment.selectionSet, type as GraphQLCompositeType, rows, page);
        continue;
      }
      const name = selection.name.value;
      // Scalars, enums and introspection are free; unions have no fields of their own.
      if (!selection.selectionSet || name.startsWith('__') || !('getFields' in parent)) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const type = getNamedType(field.type) as GraphQLCompositeType;
      if (isConnection(parent) && name === 'pageInfo') continue;
      if (isConnection(parent) && name === 'edges') {
        cost += walk(selection.selectionSet, type, rows * page);
      } else if (isEdge(parent) && name === 'node') {
        cost += walk(selection.selectionSet, type, rows);
      } else if (isConnection(type)) {
        const size = pageSize(field, argumentValues(selection.arguments ?? []));
        cost += rows * size + walk(selection.selectionSet, type, rows, size);
      } else {
        const many = isListType(getNullableType(field.type)) ? rows * LIST_SIZE_ESTIMATE : rows;
        cost += many + walk(selection.selectionSet, type, many);
      }
    }
    return cost;
  };

  const argumentValues = (nodes: readonly ArgumentNode[]) =>
    new Map(
      nodes.map((arg) => [
        arg.name.value,
        arg.value.kind === Kind.VARIABLE ? vars[arg.value.name.value] : valueFromASTUntyped(arg.value),
      ]),
    );

  return walk(operation.selectionSet, root, 1);
}

/** A Relay edge type: an object type with `node` and `cursor` fields. */
function isEdge(type: unknown): type is GraphQLObjectType {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'node' in fields && 'cursor' in fields;
}

/** A Relay connection type: an object type with `edges` and `pageInfo` fields. */
function isConnection(type: unknown): type is GraphQLObjectType {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'edges' in fields && 'pageInfo' in fields;
}
