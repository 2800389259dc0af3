// The launchers (`npm start` / `npm run serve` through scripts/start.mjs, and the `sluice` command) run
// the process that hosts the engine as their child. It must end when they are told to end, and when
// they are gone:
//  - SIGINT and SIGTERM to the launcher are passed on (the host shuts down gracefully);
//  - the host gets an IPC channel to the launcher (HOST_CHILD_STDIO): when the launcher dies, however it
//    dies (kill -9 included), the channel closes and the headless host shuts down as on SIGTERM;
//  - under npm, the launcher's parent is npm's `sh -c`, and a SIGTERM to npm reaches only that shell,
//    which dies of it and left the launcher and the host running as orphans, holding the port. So the
//    launcher watches its parent and, once it is gone, ends the host as on SIGTERM. Node has no event
//    for a parent's death: the parent pid is polled. Started otherwise (`nohup node scripts/start.mjs &`,
//    a supervisor), a parent that exits is no request to stop, and nothing is watched.

/** stdio for the host: the launcher's terminal, and an IPC channel whose end tells the host the launcher is gone. */
export const HOST_CHILD_STDIO = ['inherit', 'inherit', 'inherit', 'ipc'];

const PARENT_POLL_MS = 500;

/**
 * Passes SIGINT/SIGTERM on to `child` (each one: a second tells the host to stop waiting), and under npm
 * sends it SIGTERM once this process's parent is gone, unless a signal was already passed on.
 */
export function superviseHostChild(child, { env = process.env, pollMs = PARENT_POLL_MS } = {}) {
  let signalled = false;
  const signal = (sig) => {
    signalled = true;
    child.kill(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => signal(sig));
  if (!env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    if (signalled) return;
    process.stderr.write(`\nThe process that started Sluice (pid ${parent}) is gone; stopping Sluice.\n`);
    signal('SIGTERM');
  }, pollMs);
  watch.unref();
  child.on('exit', () => clearInterval(watch));
}
