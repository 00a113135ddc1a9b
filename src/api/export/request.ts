// What the CSV export endpoints accept: the path names the export, the query string its parameters.
// Anything else is refused with an ExportError whose message names the parameter.

/** One export, as asked: an epoch's payout table or one account's history. */
export type ExportRequest =
  | { kind: 'epoch'; epoch: string }
  | { kind: 'account'; account: string; fromEpoch: string | null; toEpoch: string | null };

/** Where the exports live (every path under it is ours; an unknown one is 404). */
export const EXPORT_PREFIX = '/export/';

/** The paths, for messages. */
const EPOCH_PATH = '/export/payouts.csv';
const ACCOUNT_PATH = '/export/accounts/<address>/payouts.csv';

/**
 * A refused export request: HTTP status, a GraphQL-like `extensions.code` (`BAD_USER_INPUT`,
 * `NOT_FOUND`, `LIMIT_EXCEEDED`, `METHOD_NOT_ALLOWED`, `INTERNAL_SERVER_ERROR`) and the parameter at
 * fault when there is one.
 */
export class ExportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ExportError';
  }

  /** The JSON body sent to the client: `{ errors: [{ message, extensions: { code, ... } }] }`, like the API's errors. */
  body(): { errors: { message: string; extensions: Record<string, unknown> }[] } {
    return { errors: [{ message: this.message, extensions: { code: this.code, ...this.extensions } }] };
  }
}

/** A 400 naming the parameter. */
function badParameter(parameter: string, message: string): ExportError {
  return new ExportError(400, 'BAD_USER_INPUT', `Parameter "${parameter}" ${message}`, { parameter });
}

const EPOCH_NUMBER = /^[0-9]{1,20}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT64_LIMIT = 1n << 64n;

function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

/** Checks an epoch number (a uint64, as EpochClosed and InferenceSettled carry it) and returns it without leading zeros. */
export function parseEpochParameter(parameter: string, value: string): string {
  if (!EPOCH_NUMBER.test(value) || BigInt(value) >= UINT64_LIMIT) {
    throw badParameter(
      parameter,
      `must be an epoch number (a decimal integer from 0 to 2^64-1), got "${clip(value)}".`,
    );
  }
  return BigInt(value).toString();
}

/**
 * Reads the query string: refuses a parameter not in `allowed` or given twice; returns the values of
 * the allowed ones that are present.
 */
function readParameters(query: string, allowed: readonly string[], path: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) {
    if (!allowed.includes(name)) {
      const takes = allowed.length ? `takes only ${allowed.map((a) => `"${a}"`).join(', ')}` : 'takes no parameters';
      throw badParameter(name, `is unknown: ${path} ${takes}.`);
    }
    if (values.has(name)) throw badParameter(name, 'is given more than once: give it once.');
    values.set(name, value);
  }
  return values;
}

/**
 * Parses a request URL (path and query string) under {@link EXPORT_PREFIX} into an export; throws an
 * ExportError (404 for an unknown path, 400 naming the parameter for bad input).
 */
export function parseExportRequest(url: string): ExportRequest {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const segments = path.split('/');
  if (path === EPOCH_PATH) {
    const params = readParameters(query, ['epoch'], EPOCH_PATH);
    const epoch = params.get('epoch');
    if (epoch === undefined) throw badParameter('epoch', `is required: ${EPOCH_PATH}?epoch=<epoch number>.`);
    return { kind: 'epoch', epoch: parseEpochParameter('epoch', epoch) };
  }
  // ['', 'export', 'accounts', <address>, 'payouts.csv']
  if (segments.length === 5 && segments[2] === 'accounts' && segments[4] === 'payouts.csv') {
    let address: string;
    try {
      address = decodeURIComponent(segments[3]);
    } catch {
      address = segments[3];
    }
    if (!ADDRESS.test(address)) {
      throw badParameter('address', `must be an address (0x followed by 40 hex digits), got "${clip(address)}".`);
    }
    const params = readParameters(query, ['fromEpoch', 'toEpoch'], ACCOUNT_PATH);
    const from = params.get('fromEpoch');
    const to = params.get('toEpoch');
    const fromEpoch = from === undefined ? null : parseEpochParameter('fromEpoch', from);
    const toEpoch = to === undefined ? null : parseEpochParameter('toEpoch', to);
    if (fromEpoch !== null && toEpoch !== null && BigInt(toEpoch) < BigInt(fromEpoch)) {
      throw badParameter('toEpoch', `must be at least fromEpoch (${fromEpoch}), got "${toEpoch}".`);
    }
    return { kind: 'account', account: address.toLowerCase(), fromEpoch, toEpoch };
  }
  throw new ExportError(
    404,
    'NOT_FOUND',
    `No export at ${clip(path)}: the exports are ${EPOCH_PATH}?epoch=N and ${ACCOUNT_PATH}.`,
  );
}
