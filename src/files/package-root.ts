import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Name in the package.json of this project. */
const PACKAGE_NAME = 'cranewatch';

/**
 * The folder holding CraneWatch's package.json, found by walking up from `fromUrl` (a module's
 * `import.meta.url`): the same answer whether the code runs from `src/` (tsx), the compiled
 * `dist/tsc/`, or the bundled `dist/src/cli/`. Null when no such folder is above it.
 */
export function packageRoot(fromUrl: string): string | null {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // Not JSON: not ours; keep walking up.
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
