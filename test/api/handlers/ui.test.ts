import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/api/dispatch';
import { testContext } from '../../helpers/app';

describe('app:open-dialog', () => {
  const ctx = testContext();

  it('is refused in browser mode, where there is no native dialog', async () => {
    expect(await dispatch(ctx, 'app:open-dialog', { kind: 'folder' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('returns what the front end dialog chose', async () => {
    const withDialog = { ...ctx, openDialog: async (kind: 'folder' | 'file') => (kind === 'folder' ? '/srv/bundles/host-a' : null) };
    expect(await dispatch(withDialog, 'app:open-dialog', {})).toEqual({ ok: true, value: { path: '/srv/bundles/host-a' } });
    expect(await dispatch(withDialog, 'app:open-dialog', { kind: 'file' })).toEqual({ ok: true, value: { path: null } });
  });
});
