// A bundle's totals as one line of text, the same in the bundle list and the bundle header. Faults are
// counted as events, as the reports count them; the number of records follows when a group of identical
// trace faults makes them differ ("6 faults (5 records)").
import type { BundleSummary } from '../../preload/contract';

function n(x: number): string {
  return x.toLocaleString('en-US');
}

export function totalsLine(b: BundleSummary): string {
  const faults = `${n(b.faultEvents)} ${b.faultEvents === 1 ? 'fault' : 'faults'}${b.faultEvents !== b.faults ? ` (${n(b.faults)} ${b.faults === 1 ? 'record' : 'records'})` : ''}`;
  return `${faults} · ${n(b.lines)} lines · ${n(b.events)} events · ${b.files} ${b.files === 1 ? 'file' : 'files'}`;
}
