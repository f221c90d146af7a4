/**
 * Every protocol's conformance module of this folder, loaded by name so a module not yet written is
 * listed as such instead of failing the whole report. Module `<name>.ts` exports
 * `<name>Conformance(sharedData: string): Promise<ProtocolAgreement[]>` (agreement.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProtocolAgreement } from './agreement.js';

/** Known module names, in report order (analyzer names as in conn.log `service`). */
export const CONFORMANCE_MODULES = ['modbus', 'dns', 'http', 's7comm', 'opcua', 'enip', 'dnp3', 'mqtt', 'tls'] as const;
export type ConformanceModuleName = (typeof CONFORMANCE_MODULES)[number];

/** One module as loaded: ready to run, not written yet, or present but unusable (load error or missing export). */
export type ConformanceModule =
  | { readonly name: ConformanceModuleName; readonly state: 'ready'; readonly run: (sharedData: string) => Promise<ProtocolAgreement[]> }
  | { readonly name: ConformanceModuleName; readonly state: 'not_built' }
  | { readonly name: ConformanceModuleName; readonly state: 'broken'; readonly error: string };

/** True when the module's source (`.ts`, under tsx) or compiled file (`.js`) is beside this one. */
function moduleExists(name: string): boolean {
  return ['ts', 'js'].some((ext) => existsSync(fileURLToPath(new URL(`./${name}.${ext}`, import.meta.url))));
}

/** Load one module with a dynamic `import()`; never rejects (a load failure is state `broken`). */
async function loadModule(name: ConformanceModuleName): Promise<ConformanceModule> {
  if (!moduleExists(name)) return { name, state: 'not_built' };
  const exported = `${name}Conformance`;
  return import(`./${name}.js`).then(
    (m: Record<string, unknown>): ConformanceModule => {
      const run = m[exported];
      return typeof run === 'function' ? { name, state: 'ready', run: run as (sharedData: string) => Promise<ProtocolAgreement[]> } : { name, state: 'broken', error: `no export ${exported}` };
    },
    (e: unknown): ConformanceModule => ({ name, state: 'broken', error: e instanceof Error ? e.message.split('\n')[0] : String(e) }),
  );
}

/** Every module of CONFORMANCE_MODULES, in that order, each ready, not built or broken. */
export function loadConformanceModules(): Promise<ConformanceModule[]> {
  return Promise.all(CONFORMANCE_MODULES.map(loadModule));
}
