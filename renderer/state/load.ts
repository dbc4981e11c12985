// The state of anything fetched: loading (with the previous value kept, so a reload does not blank the page
// and make it jump), ready, or failed with a message.
export type Load<T> =
  | { readonly state: 'loading'; readonly previous: T | null }
  | { readonly state: 'ready'; readonly value: T }
  | { readonly state: 'error'; readonly message: string; readonly code: string | null };

/** The value to show now: the fresh one, or the previous one while reloading. */
export function shown<T>(load: Load<T>): T | null {
  if (load.state === 'ready') return load.value;
  if (load.state === 'loading') return load.previous;
  return null;
}

export function errorMessage(e: unknown): { message: string; code: string | null } {
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : null;
  return { message: e instanceof Error ? e.message : String(e), code };
}
