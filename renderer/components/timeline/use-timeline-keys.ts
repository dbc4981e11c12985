// Keyboard for the timeline (when it has focus): + / − zoom around the centre, ← → pan, 0 resets, n / p select
// the next / previous fault and bring it into view, Esc clears the brush.
import type { KeyboardEvent } from 'react';
import { centreOn, panDomain, zoomDomain, type Domain } from '../../viz/timeline-math';
import type { FaultMark } from './TimelineTracks';

export function useTimelineKeys(p: {
  full: Domain;
  domain: Domain;
  onDomain: (d: Domain) => void;
  onBrush: (r: Domain | null) => void;
  faults: readonly FaultMark[];
  selected: number | null;
  onSelect: (id: number) => void;
}): (e: KeyboardEvent) => void {
  return (e) => {
    const span = p.domain.end - p.domain.start;
    const step = (dir: 1 | -1): void => {
      const sorted = [...p.faults].sort((a, b) => a.t - b.t);
      const at = sorted.findIndex((f) => f.id === p.selected);
      const next = sorted[at < 0 ? (dir === 1 ? 0 : sorted.length - 1) : at + dir];
      if (!next) return;
      p.onSelect(next.id);
      if (next.t < p.domain.start || next.t > p.domain.end) p.onDomain(centreOn(next.t, span, p.full));
    };
    const actions: Readonly<Record<string, () => void>> = {
      '+': () => p.onDomain(zoomDomain(p.domain, 0.5, 0.5, p.full)),
      '=': () => p.onDomain(zoomDomain(p.domain, 0.5, 0.5, p.full)),
      '-': () => p.onDomain(zoomDomain(p.domain, 2, 0.5, p.full)),
      ArrowLeft: () => p.onDomain(panDomain(p.domain, -0.2, p.full)),
      ArrowRight: () => p.onDomain(panDomain(p.domain, 0.2, p.full)),
      '0': () => p.onDomain(p.full),
      Escape: () => p.onBrush(null),
      n: () => step(1),
      p: () => step(-1),
    };
    const act = actions[e.key];
    if (!act || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    act();
  };
}
