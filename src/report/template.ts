import { SEVERITIES } from '../detect/finding.js';
import { SEVERITY_COLOURS } from '../server/severity-colours.js';

/**
 * The report's page, an Eta template (eta.js.org: `<%= %>` writes escaped text, `<%~ %>` raw
 * markup — used only for the chart SVGs and the style sheet, never for text from the data).
 * `it` is the ReportView of html-report.ts. One self-contained HTML document: inline styles, no
 * scripts, no external resources, laid out for screens and for A4 print / PDF.
 */
export const REPORT_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title><%= it.title %></title>
<style><%~ it.css %></style>
</head>
<body>
<header>
  <h1><%= it.title %></h1>
  <p class="sub"><%= it.terminalLine %></p>
  <table class="kv">
    <tr><th>Period observed</th><td><%= it.period %></td></tr>
    <tr><th>Captures</th><td><%= it.captures %></td></tr>
    <tr><th>Detection</th><td><%= it.detection %></td></tr>
    <tr><th>Report generated</th><td><%= it.generated %></td></tr>
  </table>
</header>

<section id="summary">
  <h2>Summary</h2>
  <p class="lead"><%= it.headline %></p>
  <div class="tiles">
    <% it.tiles.forEach(function (t) { %><div class="tile <%= t.cls %>"><div class="n"><%= t.value %></div><div class="l"><%= t.label %></div></div><% }) %>
  </div>
</section>

<section id="cranes">
  <h2>Cranes</h2>
  <% if (it.cranes.length === 0) { %><p class="none">No crane PLC values were decoded (a run without a site file, or no crane traffic).</p><% } else { %>
  <table>
    <thead><tr><th>Crane</th><th>PLC</th><th>State</th><th class="num">Moves</th><th class="num">Moves / h</th><th class="num">Open incidents</th><th class="num">Load kg</th><th class="num">Wind m/s</th><th>Last data</th></tr></thead>
    <tbody>
    <% it.cranes.forEach(function (c) { %><tr><td class="nowrap"><%= c.crane %></td><td class="nowrap"><%= c.plc %></td><td><span class="state <%= c.state %>"><%= c.state %></span></td><td class="num"><%= c.moves %></td><td class="num"><%= c.movesPerHour %></td><td class="num"><%= c.openIncidents %></td><td class="num"><%= c.load %></td><td class="num"><%= c.wind %></td><td><%= c.last %></td></tr>
    <% }) %>
    </tbody>
  </table><% } %>
</section>

<section id="incidents">
  <h2>Incidents</h2>
  <% if (it.incidents.length === 0) { %><p class="none"><%= it.noIncidents %></p><% } %>
  <% if (it.incidentsCut) { %><p class="note"><%= it.incidentsCut %></p><% } %>
  <% it.incidents.forEach(function (inc) { %>
  <article class="incident">
    <h3><span class="sev <%= inc.severity %>"><%= inc.severity %></span> <%= inc.title %></h3>
    <table class="kv">
      <tr><th>Incident</th><td><code><%= inc.id %></code></td></tr>
      <tr><th>When</th><td><%= inc.when %></td></tr>
      <tr><th>Cranes</th><td><%= inc.cranes %></td></tr>
      <tr><th>Hosts</th><td><%= inc.hosts %></td></tr>
      <tr><th>Zones</th><td><%= inc.zones %></td></tr>
      <tr><th>ATT&amp;CK for ICS</th><td><%= inc.techniques %></td></tr>
    </table>
    <p><%= inc.msg %></p>
    <p class="action"><strong>Recommended action:</strong> <%= inc.action %></p>
    <table class="findings">
      <thead><tr><th>First seen</th><th>Severity</th><th>Finding</th><th>Detector</th><th class="num">Count</th><th>Evidence</th></tr></thead>
      <tbody>
      <% inc.findings.forEach(function (f) { %><tr><td><%= f.when %></td><td><span class="sev <%= f.severity %>"><%= f.severity %></span></td><td><%= f.title %><div class="msg"><%= f.msg %></div></td><td><%= f.detector %></td><td class="num"><%= f.count %></td><td><%= f.evidence %></td></tr>
      <% }) %>
      </tbody>
    </table>
    <% if (inc.findingsCut) { %><p class="note"><%= inc.findingsCut %></p><% } %>
  </article>
  <% }) %>
</section>

<section id="container-data">
  <h2>Container data leaving the terminal</h2>
  <% if (it.containerData.length === 0) { %><p class="none"><%= it.noContainerData %></p><% } else { %>
  <table>
    <thead><tr><th>First seen</th><th>Severity</th><th>Finding</th><th>Hosts</th><th>Evidence</th></tr></thead>
    <tbody>
    <% it.containerData.forEach(function (f) { %><tr><td><%= f.when %></td><td><span class="sev <%= f.severity %>"><%= f.severity %></span></td><td><%= f.title %><div class="msg"><%= f.msg %></div></td><td><%= f.hosts %></td><td><%= f.evidence %></td></tr>
    <% }) %>
    </tbody>
  </table><% } %>
  <% if (it.containerDataCut) { %><p class="note"><%= it.containerDataCut %></p><% } %>
</section>

<section id="network">
  <h2>Network</h2>
  <h3>Flows a finding names at both ends</h3>
  <% if (it.flaggedEdges.length === 0) { %><p class="none">None.</p><% } else { %>
  <table>
    <thead><tr><th>From</th><th>To</th><th>Service</th><th class="num">Flows</th><th class="num">Bytes</th><th>Findings</th></tr></thead>
    <tbody>
    <% it.flaggedEdges.forEach(function (e) { %><tr><td><%= e.source %></td><td><%= e.target %></td><td><%= e.service %></td><td class="num"><%= e.flows %></td><td class="num"><%= e.bytes %></td><td><%= e.findings %></td></tr>
    <% }) %>
    </tbody>
  </table><% } %>
  <% if (it.flaggedCut) { %><p class="note"><%= it.flaggedCut %></p><% } %>
  <% if (it.mapCut) { %><p class="note"><%= it.mapCut %></p><% } %>
  <h3>Outside peers</h3>
  <% if (it.externalPeers.length === 0) { %><p class="none">No host outside the terminal's networks was contacted.</p><% } else { %>
  <table>
    <thead><tr><th>Address</th><th class="num">Findings</th></tr></thead>
    <tbody>
    <% it.externalPeers.forEach(function (n) { %><tr><td><%= n.id %></td><td class="num"><%= n.findings %></td></tr>
    <% }) %>
    </tbody>
  </table><% } %>
  <% if (it.externalCut) { %><p class="note"><%= it.externalCut %></p><% } %>
</section>

<section id="inventory">
  <h2>Asset inventory</h2>
  <% if (!it.inventoryKnown) { %><p class="none">The run had no site file, so seen hosts cannot be compared with the inventory.</p><% } else { %>
  <h3>Seen on the network, not in the site file</h3>
  <% if (it.uninventoried.length === 0) { %><p class="none">None.</p><% } else { %>
  <table>
    <thead><tr><th>Host</th><th>Zone</th><th>Vendor</th><th>Roles</th><th>Protocols</th><th>First seen</th><th>Last seen</th><th class="num">Findings</th></tr></thead>
    <tbody>
    <% it.uninventoried.forEach(function (a) { %><tr><td><%= a.host %></td><td><%= a.zone %></td><td><%= a.vendor %></td><td><%= a.roles %></td><td><%= a.protocols %></td><td><%= a.first %></td><td><%= a.last %></td><td class="num"><%= a.findings %></td></tr>
    <% }) %>
    </tbody>
  </table><% } %>
  <% if (it.uninventoriedCut) { %><p class="note"><%= it.uninventoriedCut %></p><% } %>
  <h3>In the site file, never seen</h3>
  <% if (it.unseen.length === 0) { %><p class="none">None.</p><% } else { %>
  <table>
    <thead><tr><th>Host</th><th>Name</th><th>Zone</th></tr></thead>
    <tbody>
    <% it.unseen.forEach(function (a) { %><tr><td><%= a.host %></td><td><%= a.name %></td><td><%= a.zone %></td></tr>
    <% }) %>
    </tbody>
  </table><% } %>
  <% if (it.unseenCut) { %><p class="note"><%= it.unseenCut %></p><% } %>
  <% } %>
</section>

<section id="telemetry">
  <h2>Crane telemetry</h2>
  <% if (it.charts.length === 0) { %><p class="none">No crane telemetry was decoded.</p><% } %>
  <% it.charts.forEach(function (c) { %>
  <article class="chart">
    <h3><%= c.crane %></h3>
    <figure><%~ c.svg %></figure>
    <% if (c.markers.length > 0) { %>
    <ol class="markers">
      <% c.markers.forEach(function (m) { %><li><%= m.when %> <span class="sev <%= m.severity %>"><%= m.severity %></span> <%= m.title %></li><% }) %>
    </ol><% } %>
  </article>
  <% }) %>
</section>

<footer>
  <p><%= it.footer %></p>
</footer>
</body>
</html>
`;

/** The report's style sheet (inline in the page). */
export const REPORT_CSS = `
:root { --fg:#111827; --muted:#4b5563; --line:#d1d5db; --bg:#ffffff; }
* { box-sizing: border-box; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1000px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; border-bottom: 2px solid var(--fg); padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: var(--muted); margin: 0 0 12px; }
.lead { font-size: 15px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid var(--line); }
th { background: #f3f4f6; font-weight: 600; }
table.kv { width: auto; }
table.kv th { background: none; color: var(--muted); font-weight: normal; padding-right: 16px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.tile .n { font-size: 22px; font-weight: 700; }
.tile .l { color: var(--muted); }
.tile.alert { border-color: #dc2626; }
.sev, .state { display: inline-block; border-radius: 4px; padding: 0 6px; color: #fff; font-size: 11px; text-transform: uppercase; }
${SEVERITIES.map((sev) => `.sev.${sev} { background: ${SEVERITY_COLOURS[sev]}; }`).join(' ')}
.state.working { background: #15803d; } .state.idle { background: #6b7280; } .state.stopped { background: #dc2626; } .state.unknown { background: #9ca3af; }
.incident { border: 1px solid var(--line); border-radius: 6px; padding: 6px 14px 10px; margin: 14px 0; }
.incident h3, .incident table.kv { break-after: avoid-page; }
tr { break-inside: avoid-page; }
.nowrap { white-space: nowrap; }
.action { background: #fef3c7; padding: 6px 8px; border-radius: 4px; }
.msg { color: var(--muted); font-size: 12px; }
.none { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: 12px; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
.markers { font-size: 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 11px; border-top: 1px solid var(--line); padding-top: 8px; }
code { font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid-page; } .chart { break-inside: avoid-page; } }
`;
