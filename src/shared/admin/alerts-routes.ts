// Admin routes of alerts: the list, acknowledging, user rules (CRUD) and notification settings.
import type { Alert, AlertList, AlertListQuery, AlertNotificationSettings, AlertRule } from '../alerts.ts';
import { route } from './route.ts';

export const alertsRoutes = {
  alertsList: route<AlertListQuery, void, AlertList>('GET', '/admin/api/alerts'),
  alertAcknowledge: route<void, void, Alert>('POST', '/admin/api/alerts/:id/acknowledge'),
  alertRulesList: route<void, void, AlertRule[]>('GET', '/admin/api/alert-rules'),
  alertRuleCreate: route<void, AlertRule, AlertRule>('POST', '/admin/api/alert-rules'),
  alertRuleUpdate: route<void, AlertRule, AlertRule>('PUT', '/admin/api/alert-rules/:id'),
  /** 404 for no such rule. */
  alertRuleDelete: route<void, void, { deleted: true }>('DELETE', '/admin/api/alert-rules/:id'),
  /** Webhook header values masked, as provider keys are. */
  alertSettingsGet: route<void, void, AlertNotificationSettings>('GET', '/admin/api/alerts/settings'),
  /** A webhook header sent back masked keeps its stored value; one left out is removed. */
  alertSettingsSave: route<void, AlertNotificationSettings, AlertNotificationSettings>('PUT', '/admin/api/alerts/settings'),
  alertWebhookTest: route<void, void, { queued: boolean }>('POST', '/admin/api/alerts/settings/test'),
} as const;
