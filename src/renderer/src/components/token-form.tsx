// The admin token pasted by hand: checked against the engine first, then kept for the tab and the panel
// started over with it. Used where the panel has no token, and where the engine refused the one it had.
import { useId, useState } from 'react';
import { TOKEN_KEY } from '../api/session-token.ts';
import { checkAdminToken } from '../api/token-check.ts';
import type { Translate } from '../i18n/translate.ts';

export function TokenForm({ t, baseUrl, compact = false }: { t: Translate; baseUrl: string; compact?: boolean }) {
  const uid = useId();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    const value = token.trim();
    if (!value) return;
    setBusy(true);
    setProblem(null);
    const check = await checkAdminToken(baseUrl, value);
    if (check.ok) {
      try { window.sessionStorage.setItem(TOKEN_KEY, value); } catch { /* storage refused: the reload asks again */ }
      window.location.reload();
      return;
    }
    setBusy(false);
    setProblem(check.reason === 'refused' ? t('conn.token.refused') : t('conn.token.unreachable', { message: check.message }));
  };
  return (
    <form className={compact ? 'token-form inline-form' : 'token-form form-stack'} noValidate
      onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <label className="field">
        <span>{t('conn.noToken.label')}</span>
        <input type="password" value={token} autoComplete="off" spellCheck={false} aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${uid}-problem` : undefined} onChange={(e) => { setToken(e.target.value); setProblem(null); }} />
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy || !token.trim()} aria-busy={busy}>{busy ? t('conn.token.checking') : t('conn.noToken.submit')}</button>
      {problem && <p id={`${uid}-problem`} className="field-error" role="alert">{problem}</p>}
    </form>
  );
}
