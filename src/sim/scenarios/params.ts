import { CwError } from '../../errors.js';
import { findScenario } from './registry.js';
import type { BaseParams, ScenarioDefinition } from './scenario.js';

/** A scenario request: its name and raw parameters (text from the command line, or values). */
export interface ScenarioSpec {
  name: string;
  params: Record<string, unknown>;
}

/** A scenario request checked against its definition: parameters resolved, defaults filled in. */
export interface ResolvedScenario {
  definition: ScenarioDefinition;
  params: BaseParams & Record<string, unknown>;
}

const NAME_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const KEY_RE = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/**
 * Parse a command-line scenario spec: `name` or `name:key=value,key=value`
 * (e.g. `recon:variant=unit-id-sweep,start=600,crane=STS-02`). Values stay text; `resolveScenario`
 * converts and checks them.
 * @throws CwError CW_ERR_CONFIG naming the scenario and the bad part (empty name, `key` without `=`,
 *   a key given twice).
 */
export function parseScenarioSpec(spec: string): ScenarioSpec {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  if (!NAME_RE.test(name)) throw new CwError('CW_ERR_CONFIG', `--scenario "${spec}": expected a kebab-case scenario name, optionally followed by :key=value,…`);
  const params: Record<string, unknown> = {};
  if (colon >= 0) {
    const rest = spec.slice(colon + 1);
    for (const part of rest.split(',')) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim();
      if (eq < 0 || !KEY_RE.test(key)) throw new CwError('CW_ERR_CONFIG', `scenario ${name}: "${part}": expected key=value`);
      if (Object.hasOwn(params, key)) throw new CwError('CW_ERR_CONFIG', `scenario ${name}: ${key}: given twice`);
      params[key] = part.slice(eq + 1).trim();
    }
  }
  return { name, params };
}

/**
 * Check `spec` against its scenario's zod schema (unknown keys refused, defaults filled in).
 * @throws CwError CW_ERR_CONFIG `scenario <name>: <key>: <reason>` for an unknown scenario, an
 *   unknown key or a bad value.
 */
export function resolveScenario(spec: ScenarioSpec): ResolvedScenario {
  const definition = findScenario(spec.name);
  if (definition === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${spec.name}: unknown scenario (cranewatch simulate --list-scenarios lists them)`);
  const r = definition.params.safeParse(spec.params);
  if (!r.success) {
    const issue = r.error.issues[0];
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '';
    const key = unknown !== '' ? unknown : issue.path.length > 0 ? issue.path.map(String).join('.') : '(parameters)';
    const reason = unknown !== '' ? 'unknown parameter' : issue.message;
    throw new CwError('CW_ERR_CONFIG', `scenario ${spec.name}: ${key}: ${reason}`);
  }
  return { definition, params: r.data as BaseParams & Record<string, unknown> };
}
