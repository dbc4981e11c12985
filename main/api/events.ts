// Backend -> renderer events (progress). Transports subscribe and forward; services only emit.
import type { EventMap, EventName } from '../../preload/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const l of this.listeners) l(event, payload);
  }
}
