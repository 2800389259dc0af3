// Composition root of the control panel: session → client, stores, event stream → React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminClient } from './api/admin-client.ts';
import { EventStream } from './api/event-stream.ts';
import { resolveSession, type PreloadBridge } from './api/session-token.ts';
import { EVENTS_PATH } from '../../shared/admin-api.ts';
import { App } from './app.tsx';
import { TokenPrompt } from './components/token-prompt.tsx';
import type { Panel } from './panel-context.tsx';
import { createEventRouter } from './state/event-router.ts';
import { createPanelStores } from './state/panel-stores.ts';
import { applyTheme } from './theme.ts';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/pages.css';

const bridge = (window as unknown as { sluice?: PreloadBridge }).sluice;
const session = resolveSession({
  bridge,
  location: window.location,
  session: window.sessionStorage,
  replaceUrl: (url) => window.history.replaceState(null, '', url),
});

const stores = createPanelStores({ storage: window.localStorage, systemLanguages: navigator.languages?.length ? navigator.languages : [navigator.language] });
applyTheme(stores.prefs.getState().theme);
document.documentElement.lang = stores.prefs.getState().language;
stores.prefs.subscribe((s) => {
  applyTheme(s.theme);
  document.documentElement.lang = s.language;
});

const root = createRoot(document.getElementById('root')!);

if (!session.token) {
  root.render(<StrictMode><TokenPrompt stores={stores} baseUrl={session.baseUrl} /></StrictMode>);
} else {
  const client = new AdminClient({ baseUrl: session.baseUrl, token: session.token });
  const refreshAll = () => {
    client.call('info').then((i) => stores.connection.getState().setInfo(i), () => {});
    client.call('settingsGet').then((g) => stores.settings.getState().setGeneral(g), () => {});
    client.call('providersList').then((p) => stores.settings.getState().setProviders(p), () => {});
    client.call('modelsList').then((m) => stores.settings.getState().setModels(m), () => {});
    // as many as the live list keeps, so the page starts as full as the subtitle says
    client.call('requestsList', { query: { limit: stores.requests.getState().capacity } }).then((r) => stores.requests.getState().merge(r), () => {});
    client.call('alertsList', { query: { status: 'all', limit: 200 } }).then((l) => stores.alerts.getState().setList(l), () => {});
    client.call('loadTestList').then((r) => stores.loadTests.getState().setRuns(r), () => {});
    // the live charts' last minutes, so they do not start empty on every load or reconnection
    client.call('metricsRecent').then((r) => stores.metrics.getState().backfill(r), () => {});
  };
  const onEvent = createEventRouter(stores, { onHello: refreshAll });
  const stream = new EventStream({
    url: `${session.baseUrl}${EVENTS_PATH}`,
    token: session.token,
    onEvent,
    onStatus: (s) => stores.connection.getState().setStream(s),
  });
  const panel: Panel = { stores, client, stream, session, refreshAll };
  stream.start();
  window.addEventListener('beforeunload', () => stream.stop());
  root.render(<StrictMode><App panel={panel} /></StrictMode>);
}
