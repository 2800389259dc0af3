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
      case 'metrics':
        stores.metrics.getState().push(event.snapshot);
        break;
      case 'cache':
        stores.cache.getState().apply(event.action, event.detail);
        break;
      case 'routing':
        stores.routing.getState().bump();
        break;
      case 'breaker':
        if (typeof event.target === 'string') stores.routing.getState().setBreaker(event.target, event.state, event.ts);
        break;
      case 'budget':
        if (typeof event.budget === 'string') stores.routing.getState().setBudget(event.budget, { level: event.level, ts: event.ts, detail: event.detail });
        break;
      case 'alert':
        if (event.alert && typeof event.alert.id === 'string') stores.alerts.getState().apply(event.action, event.alert);
        break;
      default:
        break;
    }
  };
}
