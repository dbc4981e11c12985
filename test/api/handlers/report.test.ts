// report:build and report:save through dispatch, the entry point both transports share.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/api/dispatch';
import { finishBundle, insertBundle, setBundleContext } from '../../../main/storage/bundles';
import { testContext } from '../../helpers/app';
import { tempDir } from '../../helpers/tmp';

describe('report:build / report:save', () => {
  const ctx = testContext();
  const id = insertBundle(ctx.db, { name: 'host-a', sourcePath: '/tmp/host-a', fingerprint: 'api-report', createdAt: '2026-01-01T00:00:00Z' });
  setBundleContext(ctx.db, id, JSON.stringify({ hostname: 'host-a', kernels: ['6.12.0'] }));
  finishBundle(ctx.db, id, 'complete', '2026-01-01T00:00:01Z');

  it('builds the text and the HTML report of a bundle', async () => {
    const text = await dispatch(ctx, 'report:build', { bundleId: id, selection: { kind: 'bundle' }, format: 'text' });
    expect(text.ok && (text.value as string)).toMatch(/^Host: +host-a$/m);
    const html = await dispatch(ctx, 'report:build', { bundleId: id, selection: { kind: 'bundle' }, format: 'html' });
    expect(html.ok && (html.value as string)).toMatch(/^<!DOCTYPE html>/);
  });

  it('validates the request and answers not_found for unknown ids', async () => {
    const bad = await dispatch(ctx, 'report:build', { bundleId: id, selection: { kind: 'everything' }, format: 'text' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const fmt = await dispatch(ctx, 'report:build', { bundleId: id, selection: { kind: 'bundle' }, format: 'pdf' });
    expect(fmt).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const missing = await dispatch(ctx, 'report:build', { bundleId: id + 9, selection: { kind: 'bundle' }, format: 'text' });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found', message: `bundle ${id + 9} not found` } });
    const fault = await dispatch(ctx, 'report:build', { bundleId: id, selection: { kind: 'fault', id: 12345 }, format: 'text' });
    expect(fault).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('report:save is refused in browser mode and writes where the dialog says in Electron', async () => {
    const req = { bundleId: id, selection: { kind: 'bundle' }, format: 'html' };
    expect(await dispatch(ctx, 'report:save', req)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const dir = tempDir();
    const asked: string[] = [];
    const electron = {
      ...ctx,
      saveDialog: async (o: { defaultName: string }) => {
        asked.push(o.defaultName);
        return join(dir, o.defaultName);
      },
    };
    const saved = await dispatch(electron, 'report:save', req);
    expect(asked).toEqual(['host-a-report.html']);
    expect(saved.ok).toBe(true);
    const path = join(dir, 'host-a-report.html');
    expect(saved).toEqual({ ok: true, value: { path, bytes: readFileSync(path).length } });
    const cancelled = await dispatch({ ...ctx, saveDialog: async () => null }, 'report:save', { ...req, format: 'text' });
    expect(cancelled).toEqual({ ok: true, value: { path: null, bytes: 0 } });
    expect(existsSync(join(dir, 'host-a-report.txt'))).toBe(false);
  });
});
