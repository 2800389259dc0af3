// Admin routes of scheduling: the per-provider queues and limits, and the per-client rate limits.
import type { ClientLimitsConfig, SchedulingStatsView } from '../scheduling.ts';
import { route } from './route.ts';

export const schedulingRoutes = {
  schedulingStats: route<void, void, SchedulingStatsView>('GET', '/admin/api/scheduling/stats'),
  clientLimits: route<void, void, ClientLimitsConfig>('GET', '/admin/api/scheduling/client-limits'),
  clientLimitsUpdate: route<void, ClientLimitsConfig, ClientLimitsConfig>('PUT', '/admin/api/scheduling/client-limits'),
} as const;
