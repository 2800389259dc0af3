// Where a headless Sluice keeps its data when not told: the platform's usual place.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: Record<string, string | undefined> = process.env): string {
  switch (platform()) {
    case 'darwin': return join(homedir(), 'Library', 'Application Support', 'Sluice');
    case 'win32': return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Sluice');
    default: return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'sluice');
  }
}
