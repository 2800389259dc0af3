// Admin routes of the load tester.
import type { LoadTestInput, LoadTestResult } from '../loadtest.ts';
import { route } from './route.ts';

export const loadTestRoutes = {
  /** Start a run (one at a time: a 409 while one runs); left-out fields take LOADTEST_DEFAULTS, as `sluice bench` does. */
  loadTestStart: route<void, LoadTestInput, { id: string }>('POST', '/admin/api/loadtests'),
  loadTestList: route<void, void, LoadTestResult[]>('GET', '/admin/api/loadtests'),
  loadTestGet: route<void, void, LoadTestResult>('GET', '/admin/api/loadtests/:id'),
  /** `cancelled: false` when the run had already finished; 404 for no such run. */
  loadTestCancel: route<void, void, { cancelled: boolean }>('POST', '/admin/api/loadtests/:id/cancel'),
  /** 404 for no such run; 409 while it runs (cancel it first). */
  loadTestDelete: route<void, void, { deleted: true }>('DELETE', '/admin/api/loadtests/:id'),
} as const;
