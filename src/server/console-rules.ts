import type { Role } from './api-types.js';

/**
 * The console's account and input rules, shared by the server (routes, auth, the `user` command) and
 * the dashboard (web/): no Node.js imports here.
 */

/** Roles least to most privileged (api-types.ts Role). */
export const ROLES = ['viewer', 'analyst', 'admin'] as const satisfies readonly Role[];

/** True when `role` is at least `min` (viewer < analyst < admin). */
export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** User names: 1–64 characters of letters, digits, '.', '_', '-', '@'. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
/** What USERNAME_PATTERN asks for, in words. */
export const USERNAME_RULE = '1-64 characters of letters, digits, ".", "_", "-" or "@"';

/** Console passwords: at least this many characters … */
export const MIN_PASSWORD_LENGTH = 8;
/** … and at most this many. */
export const MAX_PASSWORD_LENGTH = 1024;

/** A container number as typed: 4 letters (owner code and category) and 7 digits (ISO 6346 layout), any case. */
export const CONTAINER_NUMBER_PATTERN = /^[A-Za-z]{4}\d{7}$/;
