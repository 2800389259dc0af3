// Shown when the panel was opened without a token: explain where to find it, or accept it pasted.
import { useState } from 'react';
import { useStore } from 'zustand';
import { TOKEN_KEY } from '../api/session-token.ts';
import { translator } from '../i18n/translate.ts';
import type { PanelStores } from '../state/panel-stores.ts';

export function TokenPrompt({ stores }: { stores: PanelStores }) {
  const t = translator(useStore(stores.prefs, (s) => s.language));
  const [token, setToken] = useState('');
  return (
    <main className="token-prompt">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (!token.trim()) return;
          window.sessionStorage.setItem(TOKEN_KEY, token.trim());
          window.location.reload();
        }}
      >
        <h1>{t('conn.noToken.title')}</h1>
        <p>{t('conn.noToken.body')}</p>
        <label className="field">
          <span>{t('conn.noToken.label')}</span>
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit" className="btn btn-primary">{t('conn.noToken.submit')}</button>
      </form>
    </main>
  );
}
