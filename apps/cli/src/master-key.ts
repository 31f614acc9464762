import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MASTER_KEY_ENV, MASTER_KEY_FILE_ENV, PRIVATE_FILE_MODE, configureMasterKey } from '@tangguh/platform';

/**
 * Where the demo keeps its master key when the operator gives none: beside the data folder, never inside it,
 * so a copy of `data/` opens no private key. A real office supplies its own key (environment or key file).
 */
export const demoKeyFile = (dataDir: string): string => resolve(dirname(resolve(dataDir)), '.tangguh-demo-master.key');

/**
 * Chooses the demo's master key: `--key-file`, else TANGGUH_MASTER_KEY(_FILE) from the environment, else the
 * demo key file (made on first run, 0600). The nodes the demo spawns inherit the choice through the environment.
 */
export function useDemoMasterKey(dataDir: string, keyFile?: string): string | undefined {
  if (keyFile) process.env[MASTER_KEY_FILE_ENV] = resolve(keyFile);
  else if (!process.env[MASTER_KEY_ENV] && !process.env[MASTER_KEY_FILE_ENV]) {
    const file = demoKeyFile(dataDir);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      console.log(`Kunci induk demo dibuat / demo master key created: ${file}`);
    }
    process.env[MASTER_KEY_FILE_ENV] = file;
  }
  // A file named in the data folder itself: the key must lie outside all of it, not just outside a node's folder.
  configureMasterKey({ dataLocation: resolve(dataDir, 'office.db') });
  return process.env[MASTER_KEY_FILE_ENV];
}
