import type { AnalyzerSpec } from '../session/analyzer.js';
import { modbusSpec } from './modbus/index.js';

/**
 * Every protocol analyzer the session layer probes new flows with, in probe order
 * (a spec whose ports include the responder port is tried first whatever its place here).
 */
export const PROTOCOL_ANALYZERS: readonly AnalyzerSpec[] = Object.freeze([modbusSpec]);
