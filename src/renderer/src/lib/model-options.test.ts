import { describe, expect, it } from 'vitest';
import type { ModelView } from '../../../shared/admin/core-routes.ts';
import { endpointOfTargets, targetOptions } from './model-options.ts';

const models: ModelView[] = [
  { id: 'sim-chat', provider: 'simulator', owned_by: 'x', endpoints: ['chat'] },
  { id: 'sim-tts', provider: 'simulator', owned_by: 'x', endpoints: ['speech'] },
  { id: 'sim-embed', provider: 'simulator', owned_by: 'x', endpoints: ['embeddings'] },
  { id: 'espeak', provider: 'espeak', owned_by: 'x', endpoints: ['speech'] },
];

describe('model options', () => {
  it('offers a chat alias chat models only, and every model when the alias’s endpoint is unknown', () => {
    const endpoint = endpointOfTargets(models, ['simulator/sim-chat']);
    expect(endpoint).toBe('chat');
    expect(targetOptions(models, endpoint)).toEqual(['simulator/sim-chat']);
    expect(targetOptions(models, endpointOfTargets(models, ['gone/model']))).toHaveLength(4);
    expect(targetOptions(models, 'speech')).toEqual(['espeak/espeak', 'simulator/sim-tts']);
  });
});
