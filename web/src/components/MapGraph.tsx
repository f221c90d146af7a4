/**
 * Cytoscape view of the communication map: one compound node per zone holding its hosts,
 * uninventoried hosts and outside peers in distinct colours and shapes, violation edges red and
 * dashed, edge width by log10 of payload bytes, zones laid out as disjoint grid blocks on a circle. Zoom and pan are
 * cytoscape's own (wheel, drag).
 */
import { useEffect, useRef, type ReactElement } from 'react';
import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import type { CommMap } from '../../../src/server/api-types.js';

/** Props: the map, the selected node id (centred and highlighted), and the node-click callback. */
export interface MapGraphProps {
  readonly map: CommMap;
  readonly selected: string | null;
  readonly onSelect: (nodeId: string) => void;
}

const ZONE_PREFIX = 'zone:';

const NODE_SPACING = 90;
const BLOCK_GAP = 80;

/**
 * Deterministic positions (px, model coordinates). Each zone's hosts sit on a square grid 90 px
 * apart (odd columns staggered by a third, so chains of hosts are not collinear); the zone blocks sit
 * on a circle in name order with outside peers and hosts without a zone last, spaced so that
 * neighbouring blocks never overlap and lines between two blocks rarely cross a third.
 */
export function initialPositions(map: CommMap): Map<string, { x: number; y: number }> {
  const byZone = new Map<string, string[]>();
  for (const node of map.nodes) {
    const key = node.zone ?? '';
    const list = byZone.get(key);
    if (list === undefined) byZone.set(key, [node.id]);
    else list.push(node.id);
  }
  const outside = outsideZones(map);
  const rank = (zone: string): number => (outside.has(zone) ? 2 : zone === '' ? 1 : 0);
  const zones = [...byZone.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const sides = zones.map((z) => Math.ceil(Math.sqrt(byZone.get(z)?.length ?? 1)));
  const largest = Math.max(1, ...sides) * NODE_SPACING;
  const radius = zones.length < 2 ? 0 : (largest + BLOCK_GAP) / (2 * Math.sin(Math.PI / zones.length));
  const positions = new Map<string, { x: number; y: number }>();
  zones.forEach((zone, z) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * z) / zones.length;
    const cx = radius * Math.cos(angle);
    const cy = radius * Math.sin(angle);
    const ids = byZone.get(zone) ?? [];
    const side = sides[z] ?? 1;
    const rows = Math.ceil(ids.length / side);
    ids.forEach((id, i) => {
      const col = i % side;
      const row = Math.floor(i / side);
      positions.set(id, {
        x: cx + (col - (side - 1) / 2) * NODE_SPACING,
        y: cy + (row - (rows - 1) / 2) * NODE_SPACING + (col % 2) * (NODE_SPACING / 3),
      });
    });
  });
  return positions;
}

/** Zones holding outside peers (`kind: 'external'`): the site's outside zone (e.g. `internet`), or `external` for peers in no site zone. */
function outsideZones(map: CommMap): Set<string> {
  const out = new Set<string>();
  for (const node of map.nodes) if (node.kind === 'external' && node.zone !== null) out.add(node.zone);
  return out;
}

/** Cytoscape elements: zone parents (`zone:<name>`), host nodes (class = kind) and edges (class `violation` when flagged). */
export function mapElements(map: CommMap): ElementDefinition[] {
  const elements: ElementDefinition[] = [];
  const zones = new Set<string>();
  for (const node of map.nodes) if (node.zone !== null) zones.add(node.zone);
  const outside = outsideZones(map);
  for (const zone of zones) {
    elements.push({ group: 'nodes', data: { id: `${ZONE_PREFIX}${zone}`, label: zone },
      classes: outside.has(zone) ? 'zone external-zone' : 'zone' });
  }
  const positions = initialPositions(map);
  const ids = new Set<string>();
  for (const node of map.nodes) {
    ids.add(node.id);
    const data: Record<string, unknown> = { id: node.id, label: node.label, findings: node.findings };
    if (node.zone !== null) data.parent = `${ZONE_PREFIX}${node.zone}`;
    elements.push({ group: 'nodes', data, position: positions.get(node.id),
      classes: node.findings > 0 ? `${node.kind} flagged` : node.kind });
  }
  map.edges.forEach((edge, i) => {
    if (!ids.has(edge.source) || !ids.has(edge.target)) return;
    elements.push({
      group: 'edges',
      data: { id: `e${i}`, source: edge.source, target: edge.target, label: edge.service,
        weight: Math.log10(edge.bytes + 1) },
      classes: edge.violation ? 'violation' : '',
    });
  });
  return elements;
}

const STYLE: StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 9, 'background-color': '#4b7bab', width: 18, height: 18,
    'text-valign': 'bottom', 'text-margin-y': 3 } },
  { selector: 'node.uninventoried', style: { 'background-color': '#d4a017', shape: 'diamond' } },
  { selector: 'node.external', style: { 'background-color': '#c0262d', shape: 'triangle', 'border-width': 2,
    'border-color': '#7a0f14', 'border-style': 'dashed' } },
  { selector: 'node.flagged', style: { 'border-width': 3, 'border-color': '#e0691a' } },
  { selector: ':parent', style: { 'background-opacity': 0.05, 'background-color': '#4b7bab', 'border-width': 1,
    'border-color': '#8aa3bd', 'text-valign': 'top', 'text-halign': 'center', 'font-size': 11, 'font-weight': 'bold',
    shape: 'round-rectangle', padding: '12px' } },
  { selector: ':parent.external-zone', style: { 'border-color': '#c0262d', 'border-style': 'dashed', 'border-width': 2,
    'background-color': '#c0262d' } },
  { selector: 'edge', style: { width: 'mapData(weight, 0, 10, 1, 6)', 'line-color': '#9aa7b4', 'curve-style': 'bezier',
    'target-arrow-shape': 'triangle', 'target-arrow-color': '#9aa7b4', 'arrow-scale': 0.7, opacity: 0.8 } },
  { selector: 'edge.violation', style: { 'line-color': '#c0262d', 'target-arrow-color': '#c0262d', 'line-style': 'dashed',
    'z-index': 10, opacity: 1, label: 'data(label)', 'font-size': 8, color: '#c0262d' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#111', 'border-style': 'solid' } },
];

/**
 * Cytoscape prepends an inline `<style>` (its container rule `position: relative`) unless an element
 * with this id exists; a strict CSP (`style-src 'self'`) blocks that, so a placeholder is added and
 * the rule lives in styles.css (`.map-canvas`).
 */
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

function preemptInlineStylesheet(): void {
  if (document.getElementById(CYTOSCAPE_STYLESHEET_ID) !== null) return;
  const placeholder = document.createElement('meta');
  placeholder.id = CYTOSCAPE_STYLESHEET_ID;
  document.head.appendChild(placeholder);
}

/** Renders the graph in `div.map-canvas` (test id `map-canvas`), rebuilt whenever the map changes. */
export function MapGraph({ map, selected, onSelect }: MapGraphProps): ReactElement {
  const host = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  useEffect(() => {
    const el = host.current;
    if (el === null) return undefined;
    preemptInlineStylesheet();
    const instance = cytoscape({
      container: el,
      elements: mapElements(map),
      style: STYLE,
      layout: { name: 'preset', fit: true, padding: 20 },
      minZoom: 0.1,
      maxZoom: 5,
    });
    instance.on('tap', 'node', (evt) => {
      const node = evt.target as cytoscape.NodeSingular;
      if (!node.isParent()) onSelectRef.current(node.id());
    });
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
    };
  }, [map]);
  useEffect(() => {
    const instance = cy.current;
    if (instance === null) return;
    instance.nodes().unselect();
    if (selected === null) return;
    const node = instance.getElementById(selected);
    if (node.nonempty()) {
      node.select();
      instance.animate({ center: { eles: node }, duration: 200 });
    }
  }, [selected, map]);
  return <div ref={host} className="map-canvas" data-testid="map-canvas" />;
}
