// The tray icon: status at a glance, open the panel, pause or resume the proxy, quit.
import { Menu, Tray, nativeImage } from 'electron';
import type { Engine } from '../engine/index.ts';

export interface TrayActions { open(): void; quit(): void }

export function createTray(iconPath: string, engine: Engine, actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const refresh = () => {
    const state = engine.paused ? 'Paused' : 'Running';
    tray.setToolTip(`Sluice — ${state} on ${engine.url}`);
    tray.setContextMenu(Menu.buildFromTemplate([
      { label: `Sluice: ${state}`, enabled: false },
      { label: engine.url, enabled: false },
      { type: 'separator' },
      { label: 'Open control panel', click: actions.open },
      { label: engine.paused ? 'Resume proxy' : 'Pause proxy', click: () => engine.setPaused(!engine.paused) },
      { type: 'separator' },
      { label: 'Quit Sluice', click: actions.quit },
    ]));
  };
  engine.events.subscribe((e) => { if (e.type === 'engine') refresh(); });
  tray.on('click', actions.open);
  refresh();
  return tray;
}
