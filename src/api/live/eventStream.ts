/** A subscriber's queue of events: an async iterator fed by the live hub. */
export interface EventStream<T> extends AsyncIterableIterator<T> {
  /** Queues an event (dropped once the stream is closed). */
  push(value: T): void;
  /** True once the consumer stopped (`return()`), or the stream was ended. */
  readonly closed: boolean;
  /** Ends the stream (the consumer's `for await` finishes). */
  return(): Promise<IteratorResult<T>>;
}

/** Parameters of {@link createEventStream}. */
export interface EventStreamParameters {
  /**
   * Events queued for a consumer that does not keep up before the stream ends (default 1,000): a slow
   * SSE client is disconnected (its stream completes) rather than buffered without bound.
   */
  maxQueued?: number;
  /** Called once when the stream closes, for whatever reason (client gone, overflow, server closing). */
  onClose?: (reason: 'return' | 'overflow') => void;
}

/** Creates an event stream: `push` from the producer, `for await` (or graphql-yoga) on the consumer side. */
export function createEventStream<T>({ maxQueued = 1000, onClose }: EventStreamParameters = {}): EventStream<T> {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let closed = false;
  const close = (reason: 'return' | 'overflow') => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    const w = waiting;
    waiting = null;
    w?.({ value: undefined, done: true });
    onClose?.(reason);
  };
  const stream: EventStream<T> = {
    get closed() {
      return closed;
    },
    push(value) {
      if (closed) return;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w({ value, done: false });
        return;
      }
      queue.push(value);
      if (queue.length > maxQueued) close('overflow');
    },
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      close('return');
      return Promise.resolve({ value: undefined, done: true });
    },
    throw() {
      close('return');
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
