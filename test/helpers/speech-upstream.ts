// A fake OpenAI-compatible speech upstream and an engine calling it (provider 'up', model 'tts-test'),
// started once for a test file and stopped after it.
import { afterAll, beforeAll } from 'vitest';
import { FakeUpstream } from './fake-upstream.ts';
import { startTestEngine, type TestEngine } from './test-engine.ts';

export function useSpeechUpstream(): { fake: FakeUpstream; sluice: TestEngine } {
  const held = {} as { fake: FakeUpstream; sluice: TestEngine };
  beforeAll(async () => {
    held.fake = new FakeUpstream();
    const upstream = await held.fake.start();
    held.sluice = await startTestEngine({ providers: [{ id: 'up', type: 'openai-compatible', baseUrl: upstream, models: ['tts-test'] }] });
  });
  afterAll(async () => {
    await held.sluice.stop();
    await held.fake.stop();
  });
  return held;
}
