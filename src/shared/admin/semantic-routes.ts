// Admin routes of the semantic cache: its status, recent hits side by side (asked vs cached question,
// score), marking a hit as false, and the replay lab (the recorded log against candidate policies).
import type {
  ReplayLabRequest, ReplayLabResult, SemanticFalseHitResult, SemanticHitsQuery, SemanticHitView, SemanticStatusView,
} from '../semantic.ts';
import { route } from './route.ts';

export const semanticRoutes = {
  semanticStatus: route<void, void, SemanticStatusView>('GET', '/admin/api/semantic'),
  /** Most recent first. */
  semanticHits: route<SemanticHitsQuery, void, SemanticHitView[]>('GET', '/admin/api/semantic/hits'),
  /** The pair never matches again and the entry's threshold tightens. */
  semanticMarkFalse: route<void, void, SemanticFalseHitResult>('POST', '/admin/api/semantic/hits/:id/false'),
  /** Replays the recorded requests against the policies; calls no upstream. */
  semanticReplay: route<void, ReplayLabRequest, ReplayLabResult>('POST', '/admin/api/semantic/replay'),
} as const;
