// Shown while the engine cannot be reached: what happens next, and a Retry button. When it answered but
// refused the admin token (a restart makes a new one), it says so and takes the new token.
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { TokenForm } from './token-form.tsx';
import { useNow } from './use-now.ts';

export function ConnectionBanner() {
  const t = useT();
  const { stores, stream, session } = usePanel();
  const status = useSlice(stores.connection, (s) => s.stream);
  const now = useNow(500);
  if (status.state === 'unauthorized') {
    if (session.fromPreload) {
      return (
        <div className="banner banner-error" role="alert">
          <span>{t('conn.banner.unauthorized')}</span>
        </div>
      );
    }
    return (
      <div className="banner banner-error banner-stack">
        <div role="alert">
          <strong>{t('conn.banner.refusedTitle')}</strong> <span>{t('conn.banner.refusedBody')}</span>
        </div>
        <TokenForm t={t} baseUrl={session.baseUrl} compact />
      </div>
    );
  }
  if (status.state !== 'retrying') return null;
  const seconds = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
  return (
    <div className="banner banner-error" role="alert">
      <div>
        <strong>{t('conn.banner.title')}</strong>{' '}
        <span>{t('conn.banner.body', { seconds, attempt: status.attempt })}</span>
        <div className="banner-detail">{status.error}</div>
      </div>
      <button type="button" className="btn" onClick={() => stream.retryNow()}>{t('conn.retry')}</button>
    </div>
  );
}
