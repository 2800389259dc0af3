// The engine, CLI, shared contract and panel must never import Electron: the lint rule says so.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
const code = "import { app } from 'electron';\nexport const name = app.getName();\n";

async function messages(filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('electron imports', () => {
  it.each(['src/engine/engine-file.ts', 'src/shared/x.ts', 'src/cli/x.ts', 'src/renderer/src/x.ts'])('are refused in %s', async (file) => {
    expect(await messages(file)).toContain('no-restricted-imports');
  });

  it.each(['src/main/x.ts', 'src/preload/x.ts'])('are allowed in %s', async (file) => {
    expect(await messages(file)).not.toContain('no-restricted-imports');
  });
});
