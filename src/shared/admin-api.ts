// The one admin route table: every route the panel may call, with its types.
// Each capability declares its routes in src/shared/admin/<area>-routes.ts; they are joined here.
import { cacheRoutes } from './admin/cache-routes.ts';
import { coreRoutes } from './admin/core-routes.ts';
import { loadTestRoutes } from './admin/loadtest-routes.ts';
import { ttsRoutes } from './admin/tts-routes.ts';
import { metricsRoutes } from './admin/metrics-routes.ts';
import { alertsRoutes } from './admin/alerts-routes.ts';
import { schedulingRoutes } from './admin/scheduling-routes.ts';
import { routingRoutes } from './admin/routing-routes.ts';
import { semanticRoutes } from './admin/semantic-routes.ts';

export const adminRoutes = {
  ...coreRoutes,
  ...cacheRoutes,
  ...loadTestRoutes,
  ...ttsRoutes,
  ...metricsRoutes,
  ...alertsRoutes,
  ...schedulingRoutes,
  ...routingRoutes,
  ...semanticRoutes,
} as const;

export type AdminRoutes = typeof adminRoutes;
export type AdminRouteName = keyof AdminRoutes;
export { EVENTS_PATH } from './admin/core-routes.ts';
export * from './admin/route.ts';
