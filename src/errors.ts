/**
 * Stable error codes for configuration, I/O and usage failures (DESIGN.md: thrown errors are for
 * these, never for bad packets). The CLI prints `cranewatch: <message>` and maps the code to an exit code.
 */
export type CwErrorCode =
  | 'CW_ERR_USAGE' // bad command-line arguments
  | 'CW_ERR_NOT_FOUND' // input file does not exist
  | 'CW_ERR_READ' // input file cannot be read (permissions, I/O)
  | 'CW_ERR_EMPTY' // input file has no bytes
  | 'CW_ERR_NOT_CAPTURE' // input file is neither pcap nor pcapng (magic number)
  | 'CW_ERR_BAD_CAPTURE_HEADER' // a capture's file/section header is damaged before any packet
  | 'CW_ERR_WRITE' // an output file or database cannot be written
  | 'CW_ERR_CONFIG'; // a configuration value is invalid (the message names the field and the reason)

/** An expected, user-facing failure: `message` is one clear sentence, no stack trace is shown. */
export class CwError extends Error {
  constructor(
    readonly code: CwErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CwError';
  }
}
