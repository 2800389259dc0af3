// The data dir, made ready before anything is opened in it: created when missing, and checked to be a
// folder this process may write. What goes wrong is said in words, with what to do, instead of a raw
// errno (`EEXIST: file already exists, mkdir '/etc/passwd'`).
import { accessSync, constants, mkdirSync } from 'node:fs';
import { DataDirError } from '../errors.ts';

const CHOOSE = 'Choose another folder (Sluice creates it if missing): --data-dir <path> or SLUICE_DATA_DIR.';

/** Creates `dir` if missing; throws a DataDirError saying why it cannot hold Sluice's data. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw dataDirProblem(dir, err);
  }
}

/** The worded error for a failed mkdir or access check on the data dir. */
export function dataDirProblem(dir: string, err: unknown): DataDirError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why = code === 'EEXIST' ? 'is a file, not a folder'
    : code === 'ENOTDIR' ? 'cannot be created: part of its path is a file, not a folder'
      : code === 'EACCES' || code === 'EPERM' ? 'cannot be created or written: permission denied'
        : code === 'EROFS' ? 'is on a read-only file system'
          : code === 'ENOSPC' ? 'cannot be created: the disk is full'
            : `cannot be used (${code ?? String((err as Error)?.message ?? err)})`;
  return new DataDirError('SLUICE_DATA_DIR_UNUSABLE', `data dir ${dir} ${why}. ${CHOOSE}`, err);
}
