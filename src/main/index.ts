// The desktop host: Electron's main process runs the engine and shows its panel in one window.
// Thin on purpose: everything the window shows comes from the engine's own /ui over HTTP.
import { app, BrowserWindow, dialog, Notification, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, createLogger, defaultDeps, loadConfig, type Engine } from '../engine/index.ts';
import { alertNotification } from './alert-notification.ts';
import { installAppMenu } from './app-menu.ts';
import { launchOptions } from './launch-options.ts';
import { safeStorageSecrets } from './key-vault.ts';
import { createTray } from './tray.ts';
import { loadWindowState, trackWindowState } from './window-state.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const RENDERER_DIR = join(here, '../renderer');
const PRELOAD = join(here, '../preload/index.cjs');
const ICON = join(here, '../../resources/icon.png');
const TRAY_ICON = join(here, '../../resources/tray.png');

let engine: Engine | null = null;
let win: BrowserWindow | null = null;
let quitting = false;

function panelOrigin(): string { return engine ? new URL(engine.url).origin : ''; }

function openWindow(): void {
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return;
  }
  const state = loadWindowState(app.getPath('userData'));
  win = new BrowserWindow({
    ...(state.centered ? { width: state.width, height: state.height } : state),
    minWidth: 900, minHeight: 600, show: false, title: 'Sluice', icon: ICON,
    webPreferences: {
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      additionalArguments: [`--sluice-admin-url=${engine!.url}`, `--sluice-admin-token=${engine!.adminToken}`, `--sluice-version=${app.getVersion()}`],
    },
  });
  trackWindowState(win, app.getPath('userData'));
  win.webContents.on('will-navigate', (e, url) => { if (new URL(url).origin !== panelOrigin()) e.preventDefault(); });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.session.setPermissionRequestHandler((_wc, permission, cb) => cb(permission === 'notifications'));
  win.once('ready-to-show', () => win?.show());
  win.on('close', (e) => { if (!quitting && process.platform !== 'linux') { e.preventDefault(); win?.hide(); } });
  void win.loadURL(`${engine!.url}/ui/`);
}

async function boot(): Promise<void> {
  const opts = launchOptions(process.argv, process.env);
  const logger = createLogger({ level: opts.logLevel ?? 'info' });
  const { config } = loadConfig(process.env, { host: opts.host, port: opts.port, configPath: opts.config });
  engine = createEngine(config, defaultDeps(opts.dataDir ?? app.getPath('userData'), { logger, secrets: safeStorageSecrets() }), {
    host: 'desktop', uiDir: RENDERER_DIR, adminToken: process.env.SLUICE_ADMIN_TOKEN || undefined,
  });
  await engine.start();
  engine.events.subscribe((e) => {
    // the engine marks the alerts the user's notification settings (on/off, minimum severity) want shown
    if (e.type !== 'alert' || !e.desktop || !Notification.isSupported()) return;
    const { title, body } = alertNotification(e.alert, app.getPreferredSystemLanguages());
    new Notification({ title, body, urgency: e.alert.severity === 'critical' ? 'critical' : 'normal' }).show();
  });
  installAppMenu(openWindow, () => engine!.uiUrl);
  createTray(TRAY_ICON, engine, { open: openWindow, quit: () => app.quit() });
  openWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', openWindow);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  app.whenReady().then(boot).catch((err: Error) => {
    console.error(`Sluice could not start: ${err.message}`);
    // started from a menu or a dock there is no terminal to read (a data dir another Sluice holds, a port in use)
    dialog.showErrorBox('Sluice could not start', err.message);
    app.exit(1);
  });
  app.on('activate', openWindow);
  app.on('window-all-closed', () => { if (process.platform === 'linux') app.quit(); });
  app.on('before-quit', (e) => {
    if (!engine) return;
    quitting = true;
    e.preventDefault();
    const running = engine;
    engine = null;
    running.stop().finally(() => app.exit(0));
  });
}
