// Admin routes of the load tester.
import type { LoadTestResult, LoadTestSpec } from '../loadtest.ts';
import { route } from './route.ts';

export const loadTestRoutes = {
  loadTestStart: route<void, LoadTestSpec, { id: string }>('POST', '/admin/api/loadtests'),
  loadTestList: route<void, void, LoadTestResult[]>('GET', '/admin/api/loadtests'),
  loadTestGet: route<void, void, LoadTestResult>('GET', '/admin/api/loadtests/:id'),
  loadTestCancel: route<void, void, { cancelled: boolean }>('POST', '/admin/api/loadtests/:id/cancel'),
  loadTestDelete: route<void, void, { deleted: boolean }>('DELETE', '/admin/api/loadtests/:id'),
} as const;
