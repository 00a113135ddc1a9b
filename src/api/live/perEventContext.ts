import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Executes every subscription event with a fresh shallow copy of the subscription's context, so that
 * per-request caches keyed by the context object (the DataLoaders of Pothos' dataloader plugin and
 * `createContextCache`) live for one event, as they live for one query: a subscription open for an
 * hour must not serve a nested field (say `inference { model { inferenceCount } }`) from the first
 * event's cache. Otherwise the same as graphql-js `subscribe`: the source stream comes from the root
 * field's `subscribe`, each payload is executed as the root value.
 */
export function usePerEventContext(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const executionArgs = args as ExecutionArgs;
        const source = await createSourceEventStream(executionArgs);
        if (!isAsyncIterable(source)) return source;
        return mapEvents(source, (payload) =>
          execute({
            ...executionArgs,
            rootValue: payload,
            contextValue: { ...(executionArgs.contextValue as object) },
          }),
        );
      });
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/** Maps each value of `source`; `return()` (the client went away) is passed on to the source. */
function mapEvents<T>(
  source: AsyncIterable<T>,
  map: (value: T) => ExecutionResult | Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const it = source[Symbol.asyncIterator]();
  const done = async (): Promise<IteratorResult<ExecutionResult>> => {
    await it.return?.();
    return { value: undefined, done: true };
  };
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await it.next();
      if (r.done) return { value: undefined, done: true };
      return { value: await map(r.value), done: false };
    },
    return: done,
    throw: done,
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}
