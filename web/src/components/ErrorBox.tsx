/** One-line display of an API error as a plain sentence; the HTTP status and error code stay in the `title` tooltip. */
import type { ReactElement } from 'react';
import type { ApiError } from '../../../src/server/api-types.js';
import { errorDetail, errorSentence } from '../errorText.js';

/** Props: the error body, its HTTP status (0 for a network failure) and an optional sentence shown instead of the derived one. */
export interface ErrorBoxProps {
  readonly status: number;
  readonly error: ApiError;
  readonly text?: string;
}

/** Renders the sentence in an alert box (test id `error`, code in `title` and `data-code`). */
export function ErrorBox({ status, error, text }: ErrorBoxProps): ReactElement {
  return (
    <div className="error" role="alert" data-testid="error" data-code={error.error} title={errorDetail(status, error)}>
      {text ?? errorSentence(status, error)}
    </div>
  );
}
