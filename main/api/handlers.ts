// The implementation of every contract operation over the services. Handlers receive validated requests.
import type { OpName, ParsedRequestOf, ResponseOf } from '../../preload/contract';
import type { ApiContext } from './context';
import { bundleHandlers } from './handlers/bundles';
import { appHandlers } from './handlers/app';
import { esrHandlers } from './handlers/esr';
import { mmuHandlers } from './handlers/mmu';
import { uiHandlers } from './handlers/ui';
import { reportHandlers } from './handlers/report';
import { ingestHandlers } from './handlers/ingest';
import { faultHandlers } from './handlers/faults';
import { lineHandlers } from './handlers/lines';
import { eventHandlers } from './handlers/events';

export type Handler<K extends OpName> = (ctx: ApiContext, request: ParsedRequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K>;
export type Handlers = { readonly [K in OpName]: Handler<K> };

/** One map, one entry per operation: the compiler refuses a contract operation without a handler. */
export const handlers: Handlers = {
  ...appHandlers,
  ...bundleHandlers,
  ...esrHandlers,
  ...mmuHandlers,
  ...uiHandlers,
  ...reportHandlers,
  ...ingestHandlers,
  ...faultHandlers,
  ...lineHandlers,
  ...eventHandlers,
};
