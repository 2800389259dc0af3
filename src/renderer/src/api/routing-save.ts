// Saving the whole routing document (rules and budgets are edited in it): always over the version the
// edit was made to, so an alias switched or a rule saved in another window meanwhile is not undone.
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import type { RoutingConfig } from '../../../shared/routing.ts';
import { AdminApiError } from './admin-api-error.ts';
import type { AdminClient } from './admin-client.ts';

export function saveRouting(client: AdminClient, base: RoutingDocumentView, next: RoutingConfig): Promise<RoutingDocumentView> {
  return client.call('routingPut', { query: { baseSeq: base.seq ?? 0 }, body: next });
}

/** The engine refused the save because the document changed since it was loaded. */
export function isRoutingChanged(err: unknown): boolean {
  return err instanceof AdminApiError && err.code === 'routing_changed';
}
