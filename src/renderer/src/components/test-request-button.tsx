// Sends one chat completion through the gateway. The engine sends it to its own proxy endpoint, as an
// app would, with the client token the panel does not hold (POST /admin/api/requests/test).
import { useState } from 'react';
import { formatMs } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function TestRequestButton() {
  const t = useT();
  const { client, stores } = usePanel();
  const models = useSlice(stores.settings, (s) => s.models);
  const chatModels = models.filter((m) => m.endpoints.includes('chat'));
  const [model, setModel] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = model || chatModels.find((m) => m.id === 'sim-chat')?.id || chatModels[0]?.id || 'sim-chat';
  const push = stores.toasts.getState().push;

  const send = async () => {
    setBusy(true);
    try {
      const r = await client.call('requestTest', { body: { model: chosen } });
      if (r.error) push('error', t('req.test.failed', { message: r.error.message }));
      else push('success', t('req.test.sent', { provider: r.provider ?? chosen, latency: formatMs(r.latencyMs) }));
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
