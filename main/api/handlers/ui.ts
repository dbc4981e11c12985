// app:open-dialog: the native folder/archive picker, where the front end has one (Electron gives the context an
// `openDialog`); browser mode has none and answers bad_request, and the renderer shows a path field instead.
import type { ParsedRequestOf } from '../../../preload/contract';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';

export const uiHandlers = {
  'app:open-dialog': async (ctx: ApiContext, req: ParsedRequestOf<'app:open-dialog'>): Promise<{ path: string | null }> => {
    if (!ctx.openDialog) throw new ApiError('bad_request', 'no file dialog in browser mode: type the path instead');
    return { path: await ctx.openDialog(req.kind) };
  },
};
