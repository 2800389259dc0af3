// The app shell: navigation, header, connection banner, the current page, toasts.
import { useEffect, useState } from 'react';
import { ConnectionBanner } from './components/connection-banner.tsx';
import { Header } from './components/header.tsx';
import { Nav, PAGES, type PageId } from './components/nav.tsx';
import { Toasts } from './components/toasts.tsx';
import { PageHeader } from './components/page-header.tsx';
import { PanelContext, useT, type Panel } from './panel-context.tsx';
import { AlertsPage } from './pages/alerts-page.tsx';
import { CachePage } from './pages/cache-page.tsx';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { LoadTestPage } from './pages/loadtest-page.tsx';
import { RequestsPage } from './pages/requests-page.tsx';
import { RoutingPage } from './pages/routing-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';

/** The page a hash names: none names the Dashboard; a name that is no page (a typo, an old link) is `null`. */
function pageFromHash(hash: string): PageId | null {
  const id = hash.replace(/^#\/?/, '');
  if (!id) return 'dashboard';
  return (PAGES as readonly string[]).includes(id) ? (id as PageId) : null;
}

/** An address that names no page says so, rather than showing the Dashboard under the wrong address. */
function NotFoundPage({ hash }: { hash: string }) {
  const t = useT();
  const name = hash.replace(/^#\/?/, '');
  let shown = name;
  try { shown = decodeURIComponent(name); } catch { /* a stray % : show it as typed */ }
  return (
    <>
      <PageHeader title={t('notFound.title')} subtitle={t('notFound.body', { page: shown })} />
      <p><a href="#/dashboard">{t('notFound.link')}</a></p>
    </>
  );
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
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const page = pageFromHash(hash);
  const View = page ? VIEWS[page] : null;
  return (
    <PanelContext.Provider value={panel}>
      <div className="shell">
        <Nav current={page} />
        <div className="shell-main">
          <Header />
          <ConnectionBanner />
          <main className="page" id="main" tabIndex={-1}>
            {View ? <View /> : <NotFoundPage hash={hash} />}
          </main>
        </div>
        <Toasts />
      </div>
    </PanelContext.Provider>
  );
}
