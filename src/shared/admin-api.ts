// The one admin route table: every route the panel may call, with its types.
// Each capability declares its routes in src/shared/admin/<area>-routes.ts; they are joined here.
import { coreRoutes } from './admin/core-routes.ts';
import { loadTestRoutes } from './admin/loadtest-routes.ts';

export const adminRoutes = {
  ...coreRoutes,
  ...loadTestRoutes,
} as const;

export type AdminRoutes = typeof adminRoutes;
export type AdminRouteName = keyof AdminRoutes;
export { EVENTS_PATH } from './admin/core-routes.ts';
export * from './admin/route.ts';
