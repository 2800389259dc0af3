// The one place where the live event stream becomes store updates.
import type { EngineEvent } from '../../../shared/events.ts';
import type { PanelStores } from './panel-stores.ts';

export interface EventRouterHooks {
  /** The engine (re)greeted us: reload what may have changed while we were away. */
  onHello?(): void;
}

export function createEventRouter(stores: PanelStores, hooks: EventRouterHooks = {}): (event: EngineEvent) => void {
  return (event) => {
    stores.connection.getState().touch(typeof event.ts === 'number' ? event.ts : Date.now());
    switch (event.type) {
      case 'hello':
        hooks.onHello?.();
        break;
      case 'request':
        if (event.request && typeof event.request.id === 'string') stores.requests.getState().add(event.request);
        break;
      case 'engine':
        stores.connection.getState().setEngine(event.state);
        break;
      case 'loadtest':
        stores.loadTests.getState().apply(event.detail);
        break;
      case 'config':
        stores.settings.getState().bump(event.section);
        break;
      default:
        // metrics, cache, routing, breaker, budget, alert: their slices arrive in the next round.
        break;
    }
  };
}
