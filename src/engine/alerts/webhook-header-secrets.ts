// Webhook header values are secrets (a Slack or PagerDuty token), as provider keys are, and are treated
// as they are: masked wherever the admin API shows them, a masked value sent back keeps the stored one,
// and at rest they are sealed by the OS keychain in sluice.db where there is one (desktop), else kept in
// keys.json (0600) and never in sluice.db (headless).
import type { AlertNotificationSettings } from '../../shared/alerts.ts';
import { isObj } from '../../shared/is-obj.ts';
import { maskKey } from '../admin/mask-key.ts';
import type { Logger } from '../logger.ts';
import type { SecretCodec } from '../secrets.ts';
import type { KeyFile } from '../store/key-file.ts';

/** Their name in keys.json. */
const KEY_FILE_ENTRY = 'alerts:webhookHeaders';

const mapValues = (o: Record<string, string>, f: (v: string) => string): Record<string, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** The settings as the admin API shows them: each header value masked. */
export function maskedHeaders(s: AlertNotificationSettings): AlertNotificationSettings {
  return { ...s, webhookHeaders: mapValues(s.webhookHeaders, (v) => maskKey(v) ?? '') };
}

/**
 * Header values sent back as the admin API showed them (masked) stand for the stored ones: the panel
 * sends every header again when one field changes. Names compare as HTTP's do, without case.
 */
export function unmaskedHeaders(sent: Record<string, unknown>, stored: Record<string, string>): Record<string, unknown> {
  const byName = new Map(Object.entries(stored).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(Object.entries(sent).map(([k, v]) => {
    const kept = byName.get(k.toLowerCase());
    return [k, kept !== undefined && typeof v === 'string' && v === (maskKey(kept) ?? '') ? kept : v];
  }));
}

export interface WebhookHeaderVaultOptions {
  codec: SecretCodec;
  keyFile: KeyFile;
  logger: Logger;
}

/** Where the header values of the saved notification settings are kept. */
export class WebhookHeaderVault {
  #o: WebhookHeaderVaultOptions;

  constructor(opts: WebhookHeaderVaultOptions) {
    this.#o = opts;
  }

  /** The settings as sluice.db held them, with the header values back in clear. */
  restore(stored: unknown): unknown {
    if (!isObj(stored)) return stored;
    const headers = isObj(stored.webhookHeaders) ? stored.webhookHeaders : {};
    if (this.#o.codec.encrypted) {
      return { ...stored, webhookHeaders: Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => {
        const open = typeof v === 'string' ? this.#open(k, v) : v;
        return open === undefined ? [] : [[k, open]];
      })) };
    }
    const kept = this.#o.keyFile.secret(KEY_FILE_ENTRY);
    // none in keys.json: sluice.db's own (an older build kept them there in clear; `holdsClear` says so)
    if (kept === undefined) return stored;
    try {
      return { ...stored, webhookHeaders: JSON.parse(kept) as unknown };
    } catch {
      this.#o.logger.warn('the alert webhook headers in keys.json could not be read; enter them again on the Alerts page');
      return { ...stored, webhookHeaders: {} };
    }
  }

  /** What sluice.db keeps of the settings: the header values sealed, or none at all (keys.json has them, written here). */
  toStored(s: AlertNotificationSettings): AlertNotificationSettings {
    if (this.#o.codec.encrypted) return { ...s, webhookHeaders: mapValues(s.webhookHeaders, (v) => this.#o.codec.seal(v)) };
    this.#o.keyFile.setSecret(KEY_FILE_ENTRY, Object.keys(s.webhookHeaders).length ? JSON.stringify(s.webhookHeaders) : undefined);
    return { ...s, webhookHeaders: {} };
  }

  /** True when sluice.db holds header values in clear (saved by an older build), to be moved where they belong. */
  holdsClear(stored: unknown): boolean {
    const headers = isObj(stored) && isObj(stored.webhookHeaders) ? Object.values(stored.webhookHeaders) : [];
    // sealed, a value never opens to itself
    return headers.some((v) => typeof v === 'string' && (!this.#o.codec.encrypted || this.#plain(v)));
  }

  /** One saved version of the settings as sluice.db's history should hold it: no header value in clear. */
  scrub(stored: unknown): unknown {
    if (!isObj(stored) || !isObj(stored.webhookHeaders)) return stored;
    if (!this.#o.codec.encrypted) return { ...stored, webhookHeaders: {} };
    return { ...stored, webhookHeaders: Object.fromEntries(Object.entries(stored.webhookHeaders).map(([k, v]) => [k, typeof v === 'string' && this.#plain(v) ? this.#o.codec.seal(v) : v])) };
  }

  #plain(v: string): boolean {
    try { return this.#o.codec.open(v) === v; } catch { return false; }
  }

  #open(name: string, sealed: string): string | undefined {
    try {
      return this.#o.codec.open(sealed);
    } catch {
      this.#o.logger.warn(`the alert webhook header '${name}' could not be unsealed; enter it again on the Alerts page`);
      return undefined;
    }
  }
}
