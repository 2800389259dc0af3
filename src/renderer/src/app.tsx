// The app shell: navigation, header, connection banner, the current page, toasts.
import { useEffect, useState } from 'react';
import { ConnectionBanner } from './components/connection-banner.tsx';
import { Header } from './components/header.tsx';
import { Nav, PAGES, type PageId } from './components/nav.tsx';
import { Toasts } from './components/toasts.tsx';
import { PanelContext, type Panel } from './panel-context.tsx';
import { AlertsPage } from './pages/alerts-page.tsx';
import { CachePage } from './pages/cache-page.tsx';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { LoadTestPage } from './pages/loadtest-page.tsx';
import { RequestsPage } from './pages/requests-page.tsx';
import { RoutingPage } from './pages/routing-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(id) ? (id as PageId) : 'dashboard';
}

const VIEWS: Record<PageId, () => React.JSX.Element> = {
  dashboard: DashboardPage,
  requests: RequestsPage,
  cache: CachePage,
  routing: RoutingPage,
  alerts: AlertsPage,
  loadtest: LoadTestPage,
  settings: SettingsPage,
};

export function App({ panel }: { panel: Panel }) {
  const [page, setPage] = useState<PageId>(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const View = VIEWS[page];
  return (
    <PanelContext.Provider value={panel}>
      <div className="shell">
        <Nav current={page} />
        <div className="shell-main">
          <Header />
          <ConnectionBanner />
          <main className="page" id="main" tabIndex={-1}>
            <View />
          </main>
        </div>
        <Toasts />
      </div>
    </PanelContext.Provider>
  );
}
