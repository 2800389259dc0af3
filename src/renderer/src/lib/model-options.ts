// Which listed models fit where: a chat alias is offered chat models, the test request chat models,
// a speech load test speech models. The engine says what each model is for (ModelView.endpoints).
import type { ModelView } from '../../../shared/admin/core-routes.ts';
import type { Endpoint } from '../../../shared/targets.ts';

export const targetOf = (m: Pick<ModelView, 'provider' | 'id'>) => `${m.provider}/${m.id}`;

/** `provider/model` names of the models for `endpoint` (every model when the endpoint is not known), sorted. */
export function targetOptions(models: readonly ModelView[], endpoint: Endpoint | null): string[] {
  const fit = endpoint === null ? models : models.filter((m) => m.endpoints.includes(endpoint));
  return [...new Set(fit.map(targetOf))].sort();
}

/** The endpoint a list of `provider/model` targets serves, judged by the first one the panel knows. */
export function endpointOfTargets(models: readonly ModelView[], targets: readonly string[]): Endpoint | null {
  for (const t of targets) {
    const m = models.find((x) => targetOf(x) === t);
    if (m && m.endpoints.length === 1) return m.endpoints[0];
    if (m?.endpoints.includes('chat')) return 'chat';
  }
  return null;
}
