import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Root of the read-only public data set: $CRANEWATCH_SHARED_DATA or ../shared/data beside the repository. */
export const SHARED_DATA = process.env.CRANEWATCH_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

/** True in CI, where a missing data folder or tool must fail the test instead of skipping it. */
const REQUIRED = process.env.CRANEWATCH_REQUIRE_SHARED_DATA === '1';

/**
 * Absolute path of `rel` under the shared data folder, or null after skipping the test with a one-line
 * note when it is absent (a user's fresh machine). With CRANEWATCH_REQUIRE_SHARED_DATA=1 absence fails.
 */
export function sharedFile(t: TestContext, rel: string): string | null {
  const p = resolve(SHARED_DATA, rel);
  if (existsSync(p)) return p;
  if (REQUIRED) throw new Error(`shared data ${p} is required here but absent`);
  t.skip(`shared data absent (${p}); skipped`);
  return null;
}

let tsharkKnown: boolean | undefined;

/** True when tshark runs here; otherwise skips the test with a note (fails under CRANEWATCH_REQUIRE_SHARED_DATA=1). */
export function haveTshark(t: TestContext): boolean {
  if (tsharkKnown === undefined) tsharkKnown = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
  if (tsharkKnown) return true;
  if (REQUIRED) throw new Error('tshark is required here but not installed');
  t.skip('tshark not installed; skipped');
  return false;
}

/** Repository root (for tests that run the built CLI or read fixtures). */
export const REPO_ROOT = repoRoot;
