// The only bridge between the sandboxed renderer and the backend: `window.api`, the contract's
// invoke/on and nothing else (no ipcRenderer, no Node).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './channels';

type Listener = (payload: unknown) => void;

const api = {
  async invoke(op: string, request: unknown): Promise<unknown> {
    const envelope = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, op, request)) as
      | { ok: true; value: unknown }
      | { ok: false; error: { code: string; message: string } };
    if (envelope.ok) return envelope.value;
    const error = new Error(envelope.error.message);
    error.name = `ApiError(${envelope.error.code})`;
    throw error;
  },
  on(event: string, listener: Listener): () => void {
    const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('api', api);

// Drag and drop of a bundle: the renderer sees File objects without their paths (Electron 32 removed
// File.path); webUtils gives the path of a file the user dropped, and nothing else.
contextBridge.exposeInMainWorld('faultlineFiles', { pathFor: (file: File): string => webUtils.getPathForFile(file) });
