import type { CwErrorCode } from '../errors.js';

/**
 * Exit codes of the `cranewatch` command (documented in README.md "Exit codes").
 * 0 success; 1 internal error (a bug: please report it with the input); 2 usage or configuration error;
 * 3 an input cannot be read as a capture (missing, unreadable, empty, not pcap/pcapng, header damaged);
 * 4 analysis completed but an input was truncated or corrupt (everything before the damage was analyzed);
 * 5 an output (log directory, database) cannot be written.
 */
export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  INPUT: 3,
  DAMAGED_INPUT: 4,
  OUTPUT: 5,
} as const;

/** The exit code for a user-facing error code. */
export function exitCodeFor(code: CwErrorCode): number {
  switch (code) {
    case 'CW_ERR_USAGE':
    case 'CW_ERR_CONFIG':
      return ExitCode.USAGE;
    case 'CW_ERR_NOT_FOUND':
    case 'CW_ERR_READ':
    case 'CW_ERR_EMPTY':
    case 'CW_ERR_NOT_CAPTURE':
    case 'CW_ERR_BAD_CAPTURE_HEADER':
      return ExitCode.INPUT;
    case 'CW_ERR_WRITE':
      return ExitCode.OUTPUT;
  }
}
