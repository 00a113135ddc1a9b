// The part of autocannon 9's programmatic API the API benchmark uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    /** One request of the sequence each connection loops over. */
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Called before each send; returns the request to send (falsy restarts the sequence). */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request | undefined;
      /** Called with each response's status and whole body. */
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    }

    /** Options of a run (a subset). */
    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      pipelining?: number;
      requests?: Request[];
    }

    /** What a run reports (a subset). */
    interface Result {
      /** Seconds the run took. */
      duration: number;
      /** Connection errors, including timeouts. */
      errors: number;
      timeouts: number;
      non2xx: number;
    }

    /** A running benchmark: emits `response` (client, statusCode, resBytes, responseTimeMs) per response. */
    interface Instance extends EventEmitter {
      stop(): void;
    }
  }

  function autocannon(
    options: autocannon.Options,
    done: (err: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance;

  export = autocannon;
}
