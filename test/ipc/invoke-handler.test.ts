// The Electron transport's handler, exercised with the shapes Electron passes (sender, senderFrame).
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { createInvokeHandler } from '../../main/ipc/invoke-handler';
import { insertBundle, listBundles } from '../../main/storage/bundles';
import { testContext } from '../helpers/app';

describe('IPC invoke handler', () => {
  const ctx = testContext('electron');
  const mainFrame = { url: 'file:///app/out/renderer/index.html' };
  const contents = { mainFrame } as unknown as WebContents;
  const handler = createInvokeHandler(ctx, () => contents);
  const fromWindow = { sender: contents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;

  it('a malformed argument gets a clear error and changes nothing', async () => {
    insertBundle(ctx.db, { name: 'kept', sourcePath: '/k', fingerprint: 'k', createdAt: 'now' });
    const before = JSON.stringify(listBundles(ctx.db));
    const r = await handler(fromWindow, 'bundles:get', { id: { $gt: 0 } });
    expect(r).toEqual({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/^invalid request for bundles:get: id: /) },
    });
    expect(await handler(fromWindow, 'bundles:get', null)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await handler(fromWindow, 42, {})).toMatchObject({ ok: false, error: { message: 'unknown operation 42' } });
    expect(JSON.stringify(listBundles(ctx.db))).toBe(before);
  });

  it('refuses other senders and subframes', async () => {
    const otherContents = { mainFrame } as unknown as WebContents;
    const foreign = { sender: otherContents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;
    const subframe = { sender: contents, senderFrame: { url: 'file:///x' } } as unknown as IpcMainInvokeEvent;
    for (const ev of [foreign, subframe]) {
      expect(await handler(ev, 'app:info', {})).toEqual({ ok: false, error: { code: 'bad_request', message: 'untrusted sender' } });
    }
  });

  it('answers our window through the contract', async () => {
    const r = await handler(fromWindow, 'app:info', {});
    expect(r).toMatchObject({ ok: true, value: { name: 'Faultline', transport: 'electron' } });
  });
});
