// The only bridge into the window: the admin URL and token, and the app version. Nothing generic.
import { contextBridge } from 'electron';

function arg(name: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? '';
}

contextBridge.exposeInMainWorld('sluice', Object.freeze({
  adminUrl: arg('sluice-admin-url'),
  adminToken: arg('sluice-admin-token'),
  appVersion: arg('sluice-version'),
}));
