/**
 * Data generation counter: bumped when the stored data changes (an uploaded capture finished
 * analysis), so every mounted page reloads what it shows.
 */
import { createContext } from 'react';

/** Current data generation (starts at 0); {@link useApi} reloads whenever it changes. */
export const DataVersionContext = createContext(0);
