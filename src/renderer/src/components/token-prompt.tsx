// Shown when the panel was opened without a token: explain where to find it, or accept it pasted.
import { useStore } from 'zustand';
import { translator } from '../i18n/translate.ts';
import type { PanelStores } from '../state/panel-stores.ts';
import { TokenForm } from './token-form.tsx';

export function TokenPrompt({ stores, baseUrl }: { stores: PanelStores; baseUrl: string }) {
  const t = translator(useStore(stores.prefs, (s) => s.language));
  return (
    <main className="token-prompt">
      <div className="card">
        <h1>{t('conn.noToken.title')}</h1>
        <p>{t('conn.noToken.body')}</p>
        <TokenForm t={t} baseUrl={baseUrl} />
      </div>
    </main>
  );
}
