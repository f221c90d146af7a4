import type { FlowContext } from '../../session/analyzer.js';
import { OPCUA_VARIANT_METADATA_STREAM } from './log.js';
import type { UaMessage } from './message.js';
import type { VariantInfo } from './services.js';
import type { UaFlowIds } from './transactions.js';
import { uaRow } from './side-columns.js';

/**
 * Where a Variant was found, as `variant_data_source` numbers them: ICSNPP's Write_Variant (4,
 * src/headers/variant-source-consts.h) and two numbers past ICSNPP's for the Call arguments.
 */
export const VariantSource = { Write: 4, CallInput: 5, CallOutput: 6 } as const;

const SOURCE_NAMES: Readonly<Record<number, string>> = { 4: 'Write_Variant', 5: 'CallInputArgument_Variant', 6: 'CallOutputArgument_Variant' };

/** Built-in type names by id 0–25 as ICSNPP spells them (OPC 10000-6 §5.1.2 Table 1; ICSNPP built_in_data_types.h). */
const BUILT_IN = [
  'Null',
  'Boolean',
  'SByte',
  'Byte',
  'Int16',
  'Uint16',
  'Int32',
  'Uint32',
  'Int64',
  'Uint64',
  'Float',
  'Double',
  'String',
  'DateTime',
  'Guid',
  'ByteString',
  'XmlElement',
  'NodeId',
  'ExpandedNodeId',
  'StatusCode',
  'QualifiedName',
  'LocalizedText',
  'ExtensionObject',
  'DataValue',
  'Variant',
  'DiagnosticInfo',
];

const SHAPES = ['Value', 'Array', 'MultiDimArray'];

/** `0x00` … `0xff`, built once. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => `0x${i.toString(16).padStart(2, '0')}`);

/** Name of built-in type `t` (ICSNPP spelling), `Unknown_<t>` past the table. */
export function builtInTypeName(t: number): string {
  return t < BUILT_IN.length ? BUILT_IN[t] : `Unknown_${t}`;
}

/**
 * Write one opcua_binary_variant_metadata row per Variant of `list` (OPC 10000-6 §5.2.2.16), all under
 * `link` (the value the parent row's variant link column carries). Shape: 0 scalar, 1 array (dimension
 * = array length), 2 multi-dimensional (dimension = number of ArrayDimensions).
 */
export function emitVariantMetadata(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, link: string, source: number, list: readonly VariantInfo[]): void {
  for (const v of list) {
    const shape = v.mask & 0x80 ? (v.mask & 0x40 ? 2 : 1) : 0;
    const t = v.mask & 0x3f;
    ctx.emit(OPCUA_VARIANT_METADATA_STREAM.name, uaRow(OPCUA_VARIANT_METADATA_STREAM)(flow, m, {
      variant_source_data_link_id: link,
      variant_data_source: source,
      variant_data_source_str: SOURCE_NAMES[source] ?? `Unknown_${source}`,
      dara_variant_encoding_mask: HEX[v.mask],
      data_variant_data_type: shape,
      data_variant_data_type_str: SHAPES[shape],
      built_in_data_type: t,
      built_in_data_type_str: builtInTypeName(t),
      variant_data_array_dim: shape === 0 ? null : shape === 1 ? v.arrayLength : v.dims,
    }));
  }
}
