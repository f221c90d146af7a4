/**
 * Plain-language wording of API failures for the console: the server's one-line message as a
 * sentence, without the HTTP status or the error code (those stay available for a tooltip).
 */
import type { ApiError } from '../../src/server/api-types.js';

/** Turns a one-line message into a sentence: trimmed, first letter upper-case, ending in `.`, `!` or `?`. */
export function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return '';
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/**
 * The sentence shown for a failed call: status 0 (no answer) says the server cannot be reached,
 * 401 that the session ended, 5xx that the server failed; otherwise the server's own message
 * ({@link ApiError.message}) as a sentence, or a generic one when the message is empty.
 */
export function errorSentence(status: number, error: ApiError): string {
  if (status === 0) return 'The server cannot be reached; check the connection and try again.';
  if (status === 401) return 'Your session has ended; please sign in again.';
  if (status >= 500) return 'The server failed to answer; try again, and see the server log if it persists.';
  return asSentence(error.message) || 'The request was refused.';
}

/** The technical detail kept for a tooltip: HTTP status (or `network`) and the error code, e.g. `400 bad_request`. */
export function errorDetail(status: number, error: ApiError): string {
  return `${status === 0 ? 'network' : String(status)} ${error.error}`;
}
