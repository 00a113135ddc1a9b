import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The argument a value node sits in, as the resolvers name arguments: `epoch`, `where.datanetId`
 * (input object fields joined with dots); null when the node is not inside an argument.
 */
export function argumentNameOf(document: DocumentNode, target: ASTNode): string | null {
  let name: string | null = null;
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node !== target) return undefined;
      const parts: string[] = [];
      // `ancestors` stops above `parent`.
      for (const a of [...ancestors, parent, node] as (ASTNode | readonly ASTNode[] | undefined)[]) {
        if (!a) continue;
        if (Array.isArray(a)) continue;
        const n = a as ASTNode;
        if (n.kind === Kind.ARGUMENT) parts.length = 0;
        if (n.kind === Kind.ARGUMENT || n.kind === Kind.OBJECT_FIELD) parts.push(n.name.value);
      }
      name = parts.length ? parts.join('.') : null;
      return false;
    },
  });
  return name;
}

/**
 * A yoga plugin that names the argument in validation errors of literal values our scalars refuse
 * (BigInt, DateTime: a GraphQLError with code BAD_USER_INPUT and the value node): the message starts
 * with `Argument "epoch"` and `extensions.argument` holds the name, like the resolvers' errors.
 */
export function useArgumentNames(): Plugin {
  return {
    onValidate({ params }) {
      return ({ valid, result, setResult }) => {
        if (valid) return;
        setResult(
          result.map((error) => {
            const ext = error.extensions as { code?: string; argument?: string };
            const node = error.nodes?.[0];
            if (ext.code !== 'BAD_USER_INPUT' || ext.argument || !node) return error;
            const argument = argumentNameOf(params.documentAST, node);
            if (!argument) return error;
            return new GraphQLError(`Argument "${argument}" is invalid: ${error.message}`, {
              nodes: error.nodes,
              extensions: { ...error.extensions, argument },
            });
          }),
        );
      };
    },
  };
}
