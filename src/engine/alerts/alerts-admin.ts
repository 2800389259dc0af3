// Admin routes of alerts: list and acknowledge alerts, edit user rules (stored in sluice.db), read
// and save notification settings, send a test webhook.
import type { AlertNotificationSettings, AlertRule } from '../../shared/alerts.ts';
import { describeValue } from '../../shared/describe-value.ts';
import { isObj } from '../../shared/is-obj.ts';
import type { AdminRouter } from '../admin/admin-router.ts';
import { refuseUnknown } from '../admin/refuse-unknown.ts';
import { BadRequestError, NotFoundError } from '../errors.ts';
import type { AlertManager } from './alert-manager.ts';
import { AlertRuleError, validateAlertRule } from './alert-rules.ts';
import { validateNotificationSettings } from './alerts-config.ts';
import { maskedHeaders, unmaskedHeaders } from './webhook-header-secrets.ts';

export interface AlertsAdminDeps {
  manager: AlertManager;
  rules(): AlertRule[];
  saveRules(rules: AlertRule[]): void;
  notifications(): AlertNotificationSettings;
  saveNotifications(next: AlertNotificationSettings): void;
  /** Queue a test event to the webhook; false when none is set. */
  testWebhook(): boolean;
}

/** The notification settings sent, checked: a problem is the settings', with a code of its own, not a rule's. */
function notificationSettings(body: unknown, current: AlertNotificationSettings): AlertNotificationSettings {
  // the panel sends every header back as it was shown: a masked value keeps the stored one
  const sent = isObj(body) && isObj(body.webhookHeaders) ? { ...body, webhookHeaders: unmaskedHeaders(body.webhookHeaders, current.webhookHeaders) } : body;
  try {
    return validateNotificationSettings(sent, 'settings', current);
  } catch (err) {
    if (err instanceof AlertRuleError) throw new BadRequestError(err.message, err.param, 'SLUICE_INVALID_ALERT_SETTINGS');
    throw err;
  }
}

export function implementAlertsAdmin(admin: AdminRouter, d: AlertsAdminDeps): void {
  admin.implement('alertsList', ({ query }) => {
    refuseUnknown(query, ['status', 'limit'], 'parameter', 'GET /alerts');
    const status = query.status ?? 'all';
    if (status !== 'open' && status !== 'resolved' && status !== 'all') throw new BadRequestError(`status must be open, resolved or all, got '${status}'.`, 'status');
    const limit = query.limit === undefined ? 200 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new BadRequestError(`limit must be a whole number from 1 to 10000, got '${query.limit}'.`, 'limit');
    return { alerts: d.manager.list({ status, limit }), open: d.manager.open().length };
  });
  admin.implement('alertAcknowledge', ({ params }) => d.manager.acknowledge(params.id));

  admin.implement('alertRulesList', () => d.rules());
  admin.implement('alertRuleCreate', ({ body }) => {
    const rule = validateAlertRule(body, 'rule');
    const rules = d.rules();
    if (rules.some((r) => r.id === rule.id)) throw new AlertRuleError('rule.id', `a rule with the id '${rule.id}' exists already`);
    d.saveRules([...rules, rule]);
    return rule;
  });
  admin.implement('alertRuleUpdate', ({ params, body }) => {
    // the path names the rule: a different id in the body would be dropped without a word
    const bodyId = isObj(body) ? body.id : undefined;
    if (bodyId !== undefined && bodyId !== params.id) {
      throw new AlertRuleError('rule.id', `the body names '${describeValue(bodyId)}' but the path names '${params.id}'; leave id out or make them the same (a rule is renamed by creating the new one and deleting the old)`);
    }
    const rule = validateAlertRule({ ...(body as object), id: params.id }, 'rule');
    const rules = d.rules();
    const i = rules.findIndex((r) => r.id === params.id);
    if (i < 0) throw new NotFoundError(`No alert rule with id '${params.id}'.`, 'SLUICE_ALERT_RULE_NOT_FOUND');
    d.saveRules(rules.map((r, j) => (j === i ? rule : r)));
    return rule;
  });
  admin.implement('alertRuleDelete', ({ params }) => {
    const rules = d.rules();
    const next = rules.filter((r) => r.id !== params.id);
    if (next.length === rules.length) throw new NotFoundError(`No alert rule with id '${params.id}'.`, 'SLUICE_ALERT_RULE_NOT_FOUND');
    d.saveRules(next);
    return { deleted: true as const };
  });

  // header values are secrets: shown masked, as provider keys are
  admin.implement('alertSettingsGet', () => maskedHeaders(d.notifications()));
  admin.implement('alertSettingsSave', ({ body }) => {
    const next = notificationSettings(body, d.notifications());
    d.saveNotifications(next);
    return maskedHeaders(next);
  });
  admin.implement('alertWebhookTest', () => ({ queued: d.testWebhook() }));
}
