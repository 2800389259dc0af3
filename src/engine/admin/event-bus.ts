// Fan-out of live events to whoever listens (the admin SSE stream, the desktop host's notifications).
import type { EngineEvent } from '../../shared/events.ts';

export type EventListener = (event: EngineEvent) => void;

export class EventBus {
  #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A broken listener must not break the request that emitted the event.
      }
    }
  }

  get listenerCount(): number { return this.#listeners.size; }
}
