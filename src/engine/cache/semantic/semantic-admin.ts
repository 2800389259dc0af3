// Admin implementations of the semantic routes (declared in src/shared/admin/semantic-routes.ts).
import type { ReplayLabRequest, ReplayPolicy } from '../../../shared/semantic.ts';
import type { AdminRouter } from '../../admin/admin-router.ts';
import { refuseUnknown } from '../../admin/refuse-unknown.ts';
import { BadRequestError } from '../../errors.ts';
import type { SemanticService } from './semantic-service.ts';

function limitOf(raw: unknown, max: number): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequestError(`limit: expected an integer from 1 to ${max}`, 'limit');
  return n;
}

function policyOf(raw: unknown, i: number): ReplayPolicy {
  const p = raw as { kind?: unknown; threshold?: unknown; guards?: unknown } | null;
  if (p?.kind === 'exact') return { kind: 'exact' };
  if (p?.kind === 'semantic') {
    if (typeof p.threshold !== 'number' || !(p.threshold > 0 && p.threshold <= 1)) {
      throw new BadRequestError(`policies[${i}].threshold: expected a number in (0, 1]`, `policies[${i}].threshold`);
    }
    if (p.guards !== undefined && typeof p.guards !== 'boolean') throw new BadRequestError(`policies[${i}].guards: expected true or false`, `policies[${i}].guards`);
    return { kind: 'semantic', threshold: p.threshold, guards: p.guards !== false };
  }
  throw new BadRequestError(`policies[${i}].kind: expected 'exact' or 'semantic'`, `policies[${i}].kind`);
}

function replayRequest(body: unknown): ReplayLabRequest {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('Expected a replay request object.');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (k !== 'policies' && k !== 'limit') throw new BadRequestError(`${k}: unknown field`, k);
  const out: ReplayLabRequest = {};
  const limit = limitOf(b.limit, 100_000);
  if (limit !== undefined) out.limit = limit;
  if (b.policies !== undefined) {
    if (!Array.isArray(b.policies) || b.policies.length === 0 || b.policies.length > 64) {
      throw new BadRequestError('policies: expected a list of 1 to 64 policies', 'policies');
    }
    out.policies = b.policies.map(policyOf);
  }
  return out;
}

export function implementSemanticAdmin(router: AdminRouter, service: SemanticService): void {
  router.implement('semanticStatus', () => service.status());
  router.implement('semanticHits', ({ query }) => {
    refuseUnknown(query, ['limit'], 'parameter', 'GET /semantic/hits');
    return service.hits(limitOf(query.limit, 1000) ?? 100);
  });
  router.implement('semanticMarkFalse', ({ params }) => service.markFalse(params.id));
  router.implement('semanticReplay', ({ body }) => service.replay(replayRequest(body)));
}
