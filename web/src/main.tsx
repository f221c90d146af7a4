/** Browser entry: mounts {@link App} on `#root` with the stylesheet. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(<StrictMode><App /></StrictMode>);
}
