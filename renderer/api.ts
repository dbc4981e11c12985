// The renderer's one way to the backend. In Electron the preload gives `window.api`; in browser mode the same
// contract goes over HTTP with the per-launch token from the URL. Components never know which.
import type { EventMap, EventName, FaultlineApi, OpName, RequestOf, ResponseOf, Envelope } from '../preload/contract';

declare global {
  interface Window {
    api?: FaultlineApi;
  }
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'faultline.token';

/** The token arrives once in the URL (?token=…); it is kept for this tab and removed from the address bar. */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function createHttpApi(token: string | null): FaultlineApi {
  return {
    async invoke<K extends OpName>(op: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
      const response = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Faultline-Token': token ?? '' },
        body: JSON.stringify({ op, request }),
      });
      const envelope = (await response.json()) as Envelope<ResponseOf<K>>;
      if (envelope.ok) return envelope.value;
      throw new ApiCallError(envelope.error.code, envelope.error.message);
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token ?? '')}`);
      source.onmessage = (m: MessageEvent<string>) => {
        const data = JSON.parse(m.data) as { event: EventName; payload: unknown };
        if (data.event === event) listener(data.payload as EventMap[E]);
      };
      return () => source.close();
    },
  };
}

export const api: FaultlineApi = window.api ?? createHttpApi(takeToken());
