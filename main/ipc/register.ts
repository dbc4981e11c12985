// Electron transport: the contract over ipcMain.handle. Only our own window's main frame may call, and every
// argument goes through the same validation as the HTTP transport (main/api/dispatch.ts).
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../preload/channels';
import type { ApiContext } from '../api/context';
import { dispatch } from '../api/dispatch';

export function isTrustedSender(event: IpcMainInvokeEvent, trusted: () => WebContents | null): boolean {
  const contents = trusted();
  if (!contents || event.sender !== contents) return false;
  const frame = event.senderFrame;
  return frame !== null && frame === contents.mainFrame && frame.url.startsWith('file://');
}

export function registerIpc(ctx: ApiContext, trusted: () => WebContents | null): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, op: unknown, request: unknown) => {
    if (!isTrustedSender(event, trusted)) {
      return { ok: false, error: { code: 'bad_request', message: 'untrusted sender' } };
    }
    return dispatch(ctx, op, request);
  });
  const unsubscribe = ctx.events.subscribe((name, payload) => {
    trusted()?.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}
