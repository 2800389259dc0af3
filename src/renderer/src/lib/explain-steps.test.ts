import { describe, expect, it } from 'vitest';
import type { TraceSayingId } from '../../../shared/trace.ts';
import { stepsBeforeOutcome } from './explain-steps.ts';

describe('the explain tester’s steps', () => {
  const request = { message: "request for 'fast' on chat, ~9 prompt tokens", say: { id: 'explain.request' as const } };
  const steps = (...list: Array<{ message: string; say: { id: TraceSayingId } }>) =>
    ({ steps: list.map((s) => s.message), stepSays: list.map((s) => s.say) });

  it('leave out the last step when it is the outcome the summary line says', () => {
    expect(stepsBeforeOutcome(steps(request, { message: 'will try simulator/sim-fast', say: { id: 'explain.willTry' } }))).toEqual([request]);
    expect(stepsBeforeOutcome(steps(request, { message: 'refused: …', say: { id: 'explain.refused' } }))).toEqual([request]);
    // what the proxy or a provider would refuse ends it too
    expect(stepsBeforeOutcome(steps(request, { message: 'simulator/sim-tts refuses the request: …', say: { id: 'explain.targetRefuses' } }))).toEqual([request]);
    expect(stepsBeforeOutcome(steps({ message: 'the body is refused before routing: …', say: { id: 'explain.invalidBody' } }))).toEqual([]);
  });

  it('keep every step otherwise, and those of an engine that sends no sentences', () => {
    const kept = { message: 'simulator/sim-fast: kept', say: { id: 'explain.kept' as const } };
    expect(stepsBeforeOutcome(steps(request, kept))).toEqual([request, kept]);
    expect(stepsBeforeOutcome({ steps: ['a', 'will try x'], stepSays: undefined as never })).toEqual([{ message: 'a', say: undefined }, { message: 'will try x', say: undefined }]);
  });
});
