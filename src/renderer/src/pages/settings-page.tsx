// Settings: general, providers, appearance, and the engine's read-only facts.
import { GeneralSettingsForm } from '../components/general-settings-form.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ProvidersSection } from '../components/providers-section.tsx';
import { LANGUAGES, type Language } from '../i18n/language.ts';
import type { MessageKey } from '../i18n/en.ts';
import { formatDateTime } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import type { ThemePref } from '../state/prefs-store.ts';

export function SettingsPage() {
  const t = useT();
  const { stores } = usePanel();
  const info = useSlice(stores.connection, (s) => s.info);
  const theme = useSlice(stores.prefs, (s) => s.theme);
  const language = useSlice(stores.prefs, (s) => s.language);
  return (
    <>
      <PageHeader title={t('set.title')} subtitle={t('set.subtitle')} />
      <section className="card" aria-labelledby="general-title">
        <h2 id="general-title">{t('set.general')}</h2>
        <GeneralSettingsForm />
      </section>
      <ProvidersSection />
      <section className="card" aria-labelledby="appearance-title">
        <h2 id="appearance-title">{t('set.appearance')}</h2>
        <div className="form-grid">
          <fieldset className="field">
            <legend>{t('header.theme')}</legend>
            <div className="segmented">
              {(['system', 'light', 'dark'] as ThemePref[]).map((th) => (
                <label key={th}><input type="radio" name="theme" checked={theme === th} onChange={() => stores.prefs.getState().setTheme(th)} /> <span>{t(`theme.${th}` as MessageKey)}</span></label>
              ))}
            </div>
          </fieldset>
          <fieldset className="field">
            <legend>{t('header.language')}</legend>
            <div className="segmented">
              {LANGUAGES.map((l: Language) => (
                <label key={l}><input type="radio" name="language" checked={language === l} onChange={() => stores.prefs.getState().setLanguage(l)} /> <span>{t(`lang.${l}` as MessageKey)}</span></label>
              ))}
            </div>
          </fieldset>
        </div>
      </section>
      <section className="card" aria-labelledby="engine-title">
        <h2 id="engine-title">{t('set.engine')}</h2>
        <p className="hint">{t('set.engine.restart')}</p>
        {info ? (
          <dl className="kv">
            <dt>{t('set.engine.listen')}</dt><dd className="mono">{info.listen.url}</dd>
            <dt>{t('set.engine.dataDir')}</dt><dd className="mono break">{info.dataDir}</dd>
            <dt>{t('set.engine.version')}</dt><dd className="mono">{info.version}</dd>
            <dt>{t('set.engine.host')}</dt><dd>{t(`host.${info.host}` as MessageKey)}</dd>
            <dt>{t('set.engine.node')}</dt><dd className="mono">{info.node}</dd>
            <dt>{t('set.engine.started')}</dt><dd className="num">{formatDateTime(info.startedAt, language)}</dd>
          </dl>
        ) : <p aria-busy="true">{t('common.loading')}</p>}
      </section>
    </>
  );
}
