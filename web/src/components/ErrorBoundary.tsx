/** Keeps a page's render failure (an unexpected answer shape) inside the page instead of blanking the app. */
import { Component, type ReactNode } from 'react';

/** Props: the page, and the route; a route change clears a caught failure. */
export interface ErrorBoundaryProps {
  readonly resetKey: string;
  readonly children: ReactNode;
}

interface ErrorBoundaryState {
  readonly message: string | null;
}

/** Shows `page-error` with the failure message until the route changes. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { message: null };

  /** Keeps the failure's message for display. */
  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { message: error instanceof Error ? error.message : String(error) };
  }

  override componentDidUpdate(prev: ErrorBoundaryProps): void {
    if (this.state.message !== null && prev.resetKey !== this.props.resetKey) this.setState({ message: null });
  }

  override render(): ReactNode {
    if (this.state.message !== null) {
      return <p className="error" role="alert" data-testid="page-error">This page failed to render: {this.state.message}</p>;
    }
    return this.props.children;
  }
}
