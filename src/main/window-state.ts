// Remembers the window's size and position between launches.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';

const DEFAULT: Rectangle = { x: 0, y: 0, width: 1280, height: 820 };

export function loadWindowState(dir: string): Rectangle & { centered: boolean } {
  try {
    const saved = JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8')) as Rectangle;
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return saved.x < a.x + a.width && saved.x + saved.width > a.x && saved.y < a.y + a.height && saved.y + saved.height > a.y;
    });
    if (visible && saved.width >= 640 && saved.height >= 480) return { ...saved, centered: false };
  } catch { /* first launch */ }
  return { ...DEFAULT, centered: true };
}

export function trackWindowState(win: BrowserWindow, dir: string): void {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isMaximized()) return;
    try { writeFileSync(join(dir, 'window-state.json'), JSON.stringify(win.getBounds())); } catch { /* read-only profile */ }
  };
  const later = () => { if (timer) clearTimeout(timer); timer = setTimeout(save, 400); };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
}
