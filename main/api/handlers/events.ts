// events:list / timeline:buckets: a bundle's trace events and the timeline's counts at any zoom.
import type { EventPage, ParsedRequestOf, TimelineBuckets, TraceEvent } from '../../../preload/contract';
import { getBundle } from '../../storage/bundles';
import { listEvents, type EventRow } from '../../storage/events';
import { timelineBuckets, traceSpan } from '../../storage/timeline';
import type { ApiContext } from '../context';
import { ApiError, notFound } from '../errors';

export function eventJson(e: EventRow): TraceEvent {
  return {
    timeNs: e.timeNs.toString(),
    cpu: e.cpu,
    pid: e.pid,
    tgid: e.tgid,
    comm: e.comm,
    event: e.event,
    args: e.args,
    fields: e.fields,
    file: e.file,
    line: e.line,
  };
}

function checkBundle(ctx: ApiContext, bundleId: number): void {
  if (!getBundle(ctx.db, bundleId)) throw notFound(`bundle ${bundleId}`);
}

export const eventHandlers = {
  'events:list': (ctx: ApiContext, req: ParsedRequestOf<'events:list'>): EventPage => {
    checkBundle(ctx, req.bundleId);
    const rows = listEvents(ctx.db, {
      bundleId: req.bundleId,
      event: req.event,
      fromNs: req.fromNs === undefined ? undefined : BigInt(req.fromNs),
      toNs: req.toNs === undefined ? undefined : BigInt(req.toNs),
      offset: req.offset,
      limit: req.limit,
    });
    return { offset: req.offset, events: rows.map(eventJson) };
  },

  'timeline:buckets': (ctx: ApiContext, req: ParsedRequestOf<'timeline:buckets'>): TimelineBuckets => {
    checkBundle(ctx, req.bundleId);
    const span = traceSpan(ctx.db, req.bundleId);
    if (span === null) return { fromNs: req.fromNs ?? '0', toNs: req.toNs ?? '0', bucketNs: 0, source: 'empty', tracks: [] };
    const fromNs = req.fromNs === undefined ? span.fromNs : BigInt(req.fromNs);
    const toNs = req.toNs === undefined ? span.toNs : BigInt(req.toNs);
    if (toNs < fromNs) throw new ApiError('bad_request', 'toNs is before fromNs');
    const r = timelineBuckets(ctx.db, req.bundleId, { fromNs, toNs, buckets: req.buckets });
    return { fromNs: r.fromNs.toString(), toNs: r.toNs.toString(), bucketNs: r.bucketNs, source: r.source, tracks: r.tracks };
  },
};
