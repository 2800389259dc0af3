// The application menu, with the start-at-login switch.
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(openPanel: () => void, panelUrl: () => string): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'Sluice',
      submenu: [
        { label: 'Open control panel', accelerator: 'CmdOrCtrl+Shift+S', click: openPanel },
        { label: 'Open panel in browser', click: () => { void shell.openExternal(panelUrl()); } },
        {
          label: 'Start at login', type: 'checkbox', checked: app.getLoginItemSettings().openAtLogin,
          click: (item) => app.setLoginItemSettings({ openAtLogin: item.checked }),
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
