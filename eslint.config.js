import tseslint from 'typescript-eslint';

const noElectron = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'electron', message: 'Only src/main and src/preload may import electron: the engine, CLI and panel must run without it.' }],
    patterns: [{ group: ['electron/*'], message: 'Only src/main and src/preload may import electron.' }],
  }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      ...noElectron,
    },
  },
  { files: ['src/main/**', 'src/preload/**'], rules: { 'no-restricted-imports': 'off' } },
);
