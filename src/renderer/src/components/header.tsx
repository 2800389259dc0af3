// Header: engine state with the pause/resume switch, connection state, language and theme.
import { LANGUAGES, type Language } from '../i18n/language.ts';
import type { MessageKey } from '../i18n/en.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import type { ThemePref } from '../state/prefs-store.ts';
import { Switch } from './switch.tsx';

export function Header() {
  const t = useT();
  const { stores, client } = usePanel();
  const engine = useSlice(stores.connection, (s) => s.engine);
  const stream = useSlice(stores.connection, (s) => s.stream);
  const theme = useSlice(stores.prefs, (s) => s.theme);
  const language = useSlice(stores.prefs, (s) => s.language);
  const push = stores.toasts.getState().push;

  const setPaused = async (paused: boolean) => {
    try {
      const r = await client.call('pause', { body: { paused } });
      stores.connection.getState().setEngine(r.paused ? 'paused' : 'running');
      push('info', t(r.paused ? 'header.paused.toast' : 'header.resumed.toast'));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };

  const connKey = `conn.${stream.state}` as MessageKey;
  return (
    <header className="header">
      <div className="header-group" role="group" aria-label={t('header.engine')}>
        <span className={`pill pill-${engine}`} data-testid="engine-state">
          <span className="dot" aria-hidden="true" />
          {t(`header.${engine}` as MessageKey)}
        </span>
        <Switch
          label={t('header.pauseSwitch')}
          checked={engine === 'running'}
          // unreachable, token refused, stopping or not heard from yet: whether it accepts requests is not known
          unknown={(engine !== 'running' && engine !== 'paused') || stream.state !== 'open' ? t('header.pauseSwitch.unknown') : undefined}
          onChange={(on) => void setPaused(!on)}
        />
      </div>
      <div className="header-group">
        <span className={`conn conn-${stream.state}`} role="status" aria-live="polite">
          <span className="dot" aria-hidden="true" />
          {t(connKey)}
        </span>
        <label className="compact-field">
          <span>{t('header.language')}</span>
          <select value={language} onChange={(e) => stores.prefs.getState().setLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => <option key={l} value={l}>{t(`lang.${l}` as MessageKey)}</option>)}
          </select>
        </label>
        <label className="compact-field compact-field-theme">
          <span>{t('header.theme')}</span>
          <select value={theme} onChange={(e) => stores.prefs.getState().setTheme(e.target.value as ThemePref)}>
            {(['system', 'light', 'dark'] as const).map((th) => <option key={th} value={th}>{t(`theme.${th}`)}</option>)}
          </select>
        </label>
      </div>
    </header>
  );
}
