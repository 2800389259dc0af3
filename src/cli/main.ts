#!/usr/bin/env node
// `sluice` — the headless host. Same engine and panel as the desktop app, in plain Node.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, createLogger, defaultDeps, loadConfig } from '../engine/index.ts';
import { listenFailureWords } from '../engine/config/listen-host.ts';
import { SLUICE_VERSION } from '../engine/version.ts';
import { logLevelFromEnv, parseArgs, USAGE, UsageError, type ServeArgs } from './args.ts';
import { defaultDataDir } from './data-dir.ts';

// the built panel, seen from src/cli/main.ts (run as TypeScript) or from out/main/cli.js (the bundle)
const UI_DIR = ['../../out/renderer', '../renderer']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(`${dir}/index.html`)) ?? fileURLToPath(new URL('../../out/renderer', import.meta.url));

async function serve(args: ServeArgs): Promise<void> {
  const env = process.env;
  const logger = createLogger({ level: args.logLevel ?? 'info' });
  const { config, hostSource } = loadConfig(env, { host: args.host, port: args.port, configPath: args.config });
  const dataDir = args.dataDir ?? env.SLUICE_DATA_DIR ?? defaultDataDir(env);
  const engine = createEngine(config, defaultDeps(dataDir, { logger }), {
    host: 'headless',
    uiDir: existsSync(UI_DIR) ? UI_DIR : null,
    adminToken: env.SLUICE_ADMIN_TOKEN || undefined,
  });
  let url: string;
  try {
    url = await engine.start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hostFailure = listenFailureWords(code);
    if (code !== 'EADDRINUSE' && !hostFailure) throw err;
    await engine.stop().catch(() => {});
    if (hostFailure) {
      // say which setting holds the address, not getaddrinfo's bare ENOTFOUND
      throw new Error(`cannot listen on '${config.server.host}' (from ${hostSource}): ${hostFailure} (${code}). Give an address of this machine: 127.0.0.1, or 0.0.0.0 for every interface (with a client token).`);
    }
    throw new Error(`port ${config.server.port} on ${config.server.host} is already in use (another Sluice?). Stop what holds it, or choose another port: --port <n> (0 picks a free one) or SLUICE_PORT.`);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.stderr.write(`\n${signal} again: exiting now.\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: finishing in-flight requests…\n`);
    engine.stop().then(() => process.exit(0), (err) => {
      logger.error('shutdown failed', { error: String(err) });
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Started by a launcher (npm start, npm run serve, the sluice command) over an IPC channel, which closes
  // when the launcher dies however it dies: end as on SIGTERM, not live on as an orphan holding the port.
  if (process.channel) process.on('disconnect', () => { if (!stopping) shutdown('launcher gone'); });
  // the banner last: it says Sluice is ready, and a signal sent on reading it must find the handlers above
  const providers = engine.registry.all().map((p) => `${p.id} (${p.label})`).join(', ');
  process.stdout.write([
    `Sluice ${SLUICE_VERSION} listening on ${url}`,
    `  OpenAI base URL: ${url}/v1`,
    `  Control panel:   ${engine.uiUrl}`,
    ...engine.networkUrls.map((u) => `  On the network:  ${u}/v1 (client token required), panel ${u}/ui/`),
    `  Admin token:     ${engine.adminToken}`,
    `  Data dir:        ${dataDir}`,
    `  Providers:       ${providers}`,
    '',
  ].join('\n'));
}

async function main(argv: string[]): Promise<void> {
  let args;
  try {
    args = parseArgs(argv);
    // the flag wins; the environment is checked only when it is used
    if (args.command === 'serve' && args.logLevel === undefined) args.logLevel = logLevelFromEnv(process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
  switch (args.command) {
    case 'help': process.stdout.write(USAGE); return;
    case 'version': process.stdout.write(`${SLUICE_VERSION}\n`); return;
    case 'serve': return serve(args);
    case 'bench': {
      const { runBenchCli } = await import('./bench-command.ts');
      process.exitCode = await runBenchCli(args.argv);
      return;
    }
  }
}

main(process.argv.slice(2)).catch((err: Error & { issues?: string[] }) => {
  process.stderr.write(`sluice: ${err.message}\n`);
  process.exit(1);
});
