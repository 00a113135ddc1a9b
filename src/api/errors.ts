import { GraphQLError } from 'graphql';

/** Client-facing error for a bad argument: `extensions.code = 'BAD_USER_INPUT'`, naming the argument. */
export function badUserInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`Argument "${argument}" ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', argument },
  });
}
