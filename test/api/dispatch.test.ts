import { describe, expect, it } from 'vitest';
import { dispatch } from '../../main/api/dispatch';
import { insertBundle, listBundles } from '../../main/storage/bundles';
import { testContext } from '../helpers/app';

describe('dispatch (the one entry point of both transports)', () => {
  const ctx = testContext();

  it('refuses unknown operations and malformed requests with a clear error, changing nothing', async () => {
    const before = listBundles(ctx.db).length;
    const unknown = await dispatch(ctx, 'bundles:drop', {});
    expect(unknown).toEqual({ ok: false, error: { code: 'bad_request', message: 'unknown operation "bundles:drop"' } });

    const wrongType = await dispatch(ctx, 'bundles:get', { id: '1; DROP TABLE bundles' });
    expect(wrongType.ok).toBe(false);
    if (!wrongType.ok) {
      expect(wrongType.error.code).toBe('bad_request');
      expect(wrongType.error.message).toMatch(/bundles:get: id: .*expected number/);
    }
    const extraKey = await dispatch(ctx, 'bundles:list', { evil: true });
    expect(extraKey.ok).toBe(false);
    expect(listBundles(ctx.db).length).toBe(before);
  });

  it('answers a valid request from the real database', async () => {
    const id = insertBundle(ctx.db, { name: 'host-a', sourcePath: '/tmp/host-a', fingerprint: 'fp-a', createdAt: '2026-01-01T00:00:00Z' });
    const listed = await dispatch(ctx, 'bundles:list', {});
    expect(listed.ok && (listed.value as { name: string }[]).map((b) => b.name)).toEqual(['host-a']);
    const missing = await dispatch(ctx, 'bundles:get', { id: id + 100 });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found', message: `bundle ${id + 100} not found` } });
  });
});
