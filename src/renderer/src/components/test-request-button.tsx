// Sends one chat completion through the gateway (the panel's only use of the OpenAI endpoints).
import { useState } from 'react';
import { errorFromBody } from '../api/admin-api-error.ts';
import { formatMs } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function TestRequestButton() {
  const t = useT();
  const { session, stores } = usePanel();
  const models = useSlice(stores.settings, (s) => s.models);
  const chatModels = models.filter((m) => m.endpoints.includes('chat'));
  const [model, setModel] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = model || chatModels.find((m) => m.id === 'sim-chat')?.id || chatModels[0]?.id || 'sim-chat';
  const push = stores.toasts.getState().push;

  const send = async () => {
    setBusy(true);
    const started = performance.now();
    try {
      const res = await fetch(`${session.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sluice-client': 'panel' },
        body: JSON.stringify({ model: chosen, messages: [{ role: 'user', content: 'Hello from the Sluice control panel. Reply in one short sentence.' }], temperature: 0 }),
      });
      const text = await res.text();
      if (!res.ok) throw errorFromBody(res.status, text);
      push('success', t('req.test.sent', { provider: res.headers.get('x-sluice-provider') ?? chosen, latency: formatMs(performance.now() - started) }));
    } catch (err) {
      push('error', t('req.test.failed', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="inline-form">
      <label className="compact-field">
        <span className="sr-only">{t('req.test.model')}</span>
        <select aria-label={t('req.test.model')} value={chosen} onChange={(e) => setModel(e.target.value)}>
          {(chatModels.length ? chatModels.map((m) => m.id) : [chosen]).map((id) => <option key={id} value={id}>{id}</option>)}
        </select>
      </label>
      <button type="button" className="btn btn-primary" disabled={busy} aria-busy={busy} onClick={() => void send()}>{t('req.test')}</button>
    </div>
  );
}
