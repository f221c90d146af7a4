/** One-line display of an API error (code, HTTP status and message). */
import type { ReactElement } from 'react';
import type { ApiError } from '../../../src/server/api-types.js';

/** Props: the error body and its HTTP status (0 for a network failure). */
export interface ErrorBoxProps {
  readonly status: number;
  readonly error: ApiError;
}

/** Renders the error in an alert box. */
export function ErrorBox({ status, error }: ErrorBoxProps): ReactElement {
  return (
    <div className="error" role="alert" data-testid="error">
      <strong>{status === 0 ? 'Network error' : `Error ${status}`}</strong> {error.error}: {error.message}
    </div>
  );
}
