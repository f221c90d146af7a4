import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { sharedFile } from '../helpers/shared-data.js';

/**
 * Absolute path of `rel` under the shared `port-edi` folder, or null after skipping the test with a
 * one-line note. The folder itself goes through `sharedFile` (required when
 * CRANEWATCH_REQUIRE_SHARED_DATA=1); a single file may be kept back for independent evaluation
 * (port-edi/SOURCES.md), so a missing file is skipped even then.
 */
export function portEdiFile(t: TestContext, rel: string): string | null {
  const dir = sharedFile(t, 'port-edi');
  if (dir === null) return null;
  const p = join(dir, rel);
  if (existsSync(p)) return p;
  t.skip(`port-edi/${rel} absent (kept back for independent evaluation, see SOURCES.md); skipped`);
  return null;
}
