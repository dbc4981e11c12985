// The transport-independent entry point: validate the operation name and its request against the contract,
// run the handler, and wrap the outcome in an Envelope. Both transports call only this.
import { requestSchemas, type Envelope, type OpName } from '../../preload/contract';
import type { ApiContext } from './context';
import { ApiError } from './errors';
import { handlers } from './handlers';

function isOpName(op: unknown): op is OpName {
  return typeof op === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, op);
}

export async function dispatch(ctx: ApiContext, op: unknown, request: unknown): Promise<Envelope<unknown>> {
  if (!isOpName(op)) {
    return { ok: false, error: { code: 'bad_request', message: `unknown operation ${JSON.stringify(op)}` } };
  }
  const parsed = requestSchemas[op].safeParse(request ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`)
      .join('; ');
    return { ok: false, error: { code: 'bad_request', message: `invalid request for ${op}: ${detail}` } };
  }
  try {
    const handler = handlers[op] as (c: ApiContext, r: unknown) => Promise<unknown> | unknown;
    const value = await handler(ctx, parsed.data);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: { code: e.code, message: e.message } };
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: 'internal', message } };
  }
}
