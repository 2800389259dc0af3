import { describe, expect, it } from 'vitest';
import type { RequestLogValues } from '../../../shared/admin/core-routes.ts';
import { createRequestLogValues } from './request-log-values.ts';
import { req } from './request-fixture.ts';
import { createRequestsStore } from './requests-store.ts';

const logValues = (over: Partial<RequestLogValues> = {}): RequestLogValues => ({
  model: [], requestedModel: [], provider: [], endpoint: [], status: [], cache: [], truncated: [], ...over,
});

/** The admin API's answer, held until the test lets it go. */
function deferred() {
  let settle!: { resolve(v: RequestLogValues): void; reject(e: Error): void };
  const promise = new Promise<RequestLogValues>((resolve, reject) => { settle = { resolve, reject }; });
  return { promise, ...settle };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the filter menus’ values', () => {
  it('are the log’s, then follow live arrivals, a model that scrolled out of the live list included', async () => {
    const live = createRequestsStore(2);
    const answer = deferred();
    const source = createRequestLogValues({ live, load: () => answer.promise });
    const stop = source.start();
    expect(source.state.getState().values).toBeNull();
    // arrives while the log is asked: its answer may not have it
    live.getState().add(req('r1', 1, { model: 'new-model', requestedModel: 'new-model' }));
    answer.resolve(logValues({ model: ['an-hour-ago'], requestedModel: ['an-hour-ago'] }));
    await flush();
    expect(source.state.getState().values?.model).toEqual(['an-hour-ago', 'new-model']);
    live.getState().add(req('r2', 2, { model: 'newer-model', status: 429 }));
    live.getState().add(req('r3', 3));
    live.getState().add(req('r4', 4));
    expect(live.getState().items.map((r) => r.model)).not.toContain('newer-model');
    expect(source.state.getState().values).toMatchObject({ model: ['an-hour-ago', 'new-model', 'newer-model', 'sim-chat'], status: [200, 429] });
    stop();
    live.getState().add(req('r5', 5, { model: 'after-the-page-closed' }));
    expect(source.state.getState().values?.model).not.toContain('after-the-page-closed');
  });

  it('when the log cannot be asked, still gather what arrives', async () => {
    const live = createRequestsStore(10);
    const answer = deferred();
    const source = createRequestLogValues({ live, load: () => answer.promise });
    const stop = source.start();
    live.getState().add(req('r1', 1, { model: 'early' }));
    answer.reject(new Error('404 on an older engine'));
    await flush();
    live.getState().add(req('r2', 2, { model: 'later' }));
    expect(source.state.getState().values?.model).toEqual(['early', 'later']);
    stop();
  });

  it('drop an answer that comes after the page closed', async () => {
    const live = createRequestsStore(10);
    const answer = deferred();
    const source = createRequestLogValues({ live, load: () => answer.promise });
    source.start()();
    answer.resolve(logValues({ model: ['late'] }));
    await flush();
    expect(source.state.getState().values).toBeNull();
  });
});
