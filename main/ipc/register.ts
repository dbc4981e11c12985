// Electron transport: the contract over ipcMain.handle, events pushed to our window.
import { ipcMain, type WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../preload/channels';
import type { ApiContext } from '../api/context';
import { createInvokeHandler } from './invoke-handler';

export function registerIpc(ctx: ApiContext, trusted: () => WebContents | null): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, createInvokeHandler(ctx, trusted));
  const unsubscribe = ctx.events.subscribe((name, payload) => {
    trusted()?.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}
