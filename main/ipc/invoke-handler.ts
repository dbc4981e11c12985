// The Electron invoke handler, kept free of runtime electron imports so it runs under plain Node in tests:
// only our own window's main frame, loaded from file://, may call; every argument then goes through the
// same validation as the HTTP transport (main/api/dispatch.ts).
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { Envelope } from '../../preload/contract';
import type { ApiContext } from '../api/context';
import { dispatch } from '../api/dispatch';

export function isTrustedSender(event: IpcMainInvokeEvent, trusted: () => WebContents | null): boolean {
  const contents = trusted();
  if (!contents || event.sender !== contents) return false;
  const frame = event.senderFrame;
  return frame !== null && frame === contents.mainFrame && frame.url.startsWith('file://');
}

export function createInvokeHandler(
  ctx: ApiContext,
  trusted: () => WebContents | null,
): (event: IpcMainInvokeEvent, op: unknown, request: unknown) => Promise<Envelope<unknown>> {
  return async (event, op, request) => {
    if (!isTrustedSender(event, trusted)) {
      return { ok: false, error: { code: 'bad_request', message: 'untrusted sender' } };
    }
    return dispatch(ctx, op, request);
  };
}
