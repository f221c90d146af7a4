import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CommMap, ContainerDetail, FindingEvidence, IncidentDetail, Overview, Page, IncidentRow, FindingRow, MoveRow, AssetRow, StreamInfo, Telemetry } from '../../src/server/api-types.js';
import { appWithUsers, demoStore, login, type DemoStore, type TestSession } from './fixture.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface RouteCase {
  readonly method: Method;
  readonly url: string;
  /** Least role allowed. */
  readonly role: 'viewer' | 'analyst' | 'admin';
  /** A bad query / parameter and the name the 400 must give. */
  readonly bad?: { readonly url: string; readonly param: string };
  /** An unknown id → 404. */
  readonly unknown?: string;
  readonly payload?: unknown;
}

const ROUTES: readonly RouteCase[] = [
  { method: 'GET', url: '/api/auth/me', role: 'viewer' },
  { method: 'GET', url: '/api/overview', role: 'viewer' },
  { method: 'GET', url: '/api/streams', role: 'viewer' },
  { method: 'GET', url: '/api/incidents', role: 'viewer', bad: { url: '/api/incidents?severity=huge', param: 'severity' } },
  { method: 'GET', url: '/api/incidents/ID', role: 'viewer', unknown: '/api/incidents/Inope' },
  { method: 'GET', url: '/api/findings', role: 'viewer', bad: { url: '/api/findings?limit=501', param: 'limit' } },
  { method: 'GET', url: '/api/findings/FID/evidence', role: 'viewer', bad: { url: '/api/findings/FID/evidence?offset=-1', param: 'offset' }, unknown: '/api/findings/Fnope/evidence' },
  { method: 'GET', url: '/api/moves', role: 'viewer', bad: { url: '/api/moves?from=yesterday', param: 'from' } },
  { method: 'GET', url: '/api/containers/MSCU1234565', role: 'viewer', bad: { url: '/api/containers/MSC123', param: 'number' } },
  { method: 'GET', url: '/api/assets', role: 'viewer', bad: { url: '/api/assets?status=lost', param: 'status' } },
  { method: 'GET', url: '/api/map', role: 'viewer', bad: { url: '/api/map?max_edges=5001', param: 'max_edges' } },
  { method: 'GET', url: '/api/telemetry?crane=STS-01', role: 'viewer', bad: { url: '/api/telemetry?points=10', param: 'crane' }, unknown: '/api/telemetry?crane=STS-99' },
  { method: 'GET', url: '/api/jobs/nojob', role: 'viewer', unknown: '/api/jobs/nojob' },
  { method: 'GET', url: '/api/users', role: 'admin' },
  { method: 'GET', url: '/api/audit', role: 'admin', bad: { url: '/api/audit?limit=x', param: 'limit' } },
  { method: 'POST', url: '/api/auth/logout', role: 'viewer' },
  { method: 'POST', url: '/api/captures', role: 'analyst' },
  { method: 'POST', url: '/api/users', role: 'admin', payload: { username: 'newbie', password: 'long enough pw', role: 'viewer' }, bad: { url: '/api/users', param: 'role' } },
  { method: 'PUT', url: '/api/users/viewer1', role: 'admin', payload: { role: 'viewer' }, bad: { url: '/api/users/viewer1', param: 'role' }, unknown: '/api/users/ghost' },
  { method: 'DELETE', url: '/api/users/ghost', role: 'admin', unknown: '/api/users/ghost' },
];

const ROLE_BELOW = { viewer: null, analyst: 'viewer1', admin: 'analyst1' } as const;

describe('console API routes', () => {
  let store: DemoStore;
  let app: FastifyInstance;
  const s: Record<string, TestSession> = {};
  let incidentId = '';
  let findingId = '';

  const req = (method: Method, url: string, session?: TestSession, payload?: unknown, csrf = true) =>
    app.inject({
      method,
      url,
      headers: { ...(session ? { cookie: session.cookie } : {}), ...(session && csrf && method !== 'GET' ? { 'x-csrf-token': session.csrf } : {}) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const fill = (url: string): string => url.replace('/ID', `/${incidentId}`).replace('/FID/', `/${findingId}/`);

  before(async () => {
    store = await demoStore();
    ({ app } = await appWithUsers(store.db));
    for (const u of ['admin1', 'analyst1', 'viewer1']) s[u] = await login(app, u);
    const inc = JSON.parse((await req('GET', '/api/incidents', s.viewer1)).body) as Page<IncidentRow>;
    incidentId = inc.items[0].incident_id;
    const fin = JSON.parse((await req('GET', '/api/findings?limit=500', s.viewer1)).body) as Page<FindingRow>;
    findingId = fin.items.find((f) => f.evidence_uids.length > 0)!.finding_id;
  });
  after(async () => {
    await app.close();
    store.cleanup();
  });

  for (const r of ROUTES) {
    it(`${r.method} ${r.url}: 401 without a session`, async () => {
      const res = await req(r.method, fill(r.url), undefined, r.payload);
      assert.equal(res.statusCode, 401);
      assert.equal(JSON.parse(res.body).error, 'unauthorized');
    });
    const below = ROLE_BELOW[r.role];
    if (below !== null) {
      it(`${r.method} ${r.url}: 403 for ${below}`, async () => {
        const res = await req(r.method, fill(r.url), s[below], r.payload);
        assert.equal(res.statusCode, 403);
        assert.equal(JSON.parse(res.body).error, 'forbidden');
      });
    }
    if (r.method !== 'GET') {
      it(`${r.method} ${r.url}: 403 without or with a wrong CSRF token`, async () => {
        const admin = s.admin1;
        const missing = await req(r.method, fill(r.url), admin, r.payload, false);
        assert.equal(missing.statusCode, 403);
        assert.equal(JSON.parse(missing.body).error, 'csrf');
        const wrong = await app.inject({ method: r.method, url: fill(r.url), headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf.slice(1) + 'x' }, payload: (r.payload ?? {}) as object });
        assert.equal(wrong.statusCode, 403);
      });
    }
    if (r.bad !== undefined) {
      const bad = r.bad;
      it(`${r.method} ${bad.url}: 400 naming ${bad.param}`, async () => {
        const payload = r.method === 'GET' ? undefined : { ...(r.payload as object), role: 'superuser' };
        const res = await req(r.method, fill(bad.url), s.admin1, payload);
        assert.equal(res.statusCode, 400, res.body);
        const body = JSON.parse(res.body) as { error: string; message: string };
        assert.equal(body.error, 'bad_request');
        assert.match(body.message, new RegExp(`^${bad.param}:`));
        assert.doesNotMatch(res.body, /at .*\.ts:\d+/);
      });
    }
    if (r.unknown !== undefined) {
      const unknown = r.unknown;
      it(`${r.method} ${unknown}: 404`, async () => {
        const res = await req(r.method, unknown, s.admin1, r.payload);
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(JSON.parse(res.body).error, 'not_found');
      });
    }
  }

  it('unknown /api route: 404 JSON with or without a session (no route, no data: access is decided on the matched route)', async () => {
    const anon = await req('GET', '/api/nothing-here');
    assert.equal(anon.statusCode, 404);
    assert.equal(JSON.parse(anon.body).error, 'not_found');
    const res = await req('GET', '/api/nothing-here', s.viewer1);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(JSON.parse(res.body), { error: 'not_found', message: 'no route GET /api/nothing-here' });
  });

  it('GET /api/health and /api/openapi.json need no session', async () => {
    const h = await req('GET', '/api/health');
    assert.equal(h.statusCode, 200);
    assert.deepEqual(JSON.parse(h.body), { status: 'ok', busy: false });
    const o = await req('GET', '/api/openapi.json');
    assert.equal(o.statusCode, 200);
    const doc = JSON.parse(o.body) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    assert.match(doc.openapi, /^3\./);
    for (const p of ['/api/overview', '/api/incidents/{id}', '/api/moves', '/api/map', '/api/captures', '/api/users/{username}', '/api/audit']) assert.ok(doc.paths[p], p);
    assert.deepEqual(
      doc.paths['/api/telemetry'].get.parameters?.map((x) => x.name).sort(),
      ['crane', 'from', 'points', 'to'],
    );
  });

  it('overview: run info, cranes, counts and severities from the demo store', async () => {
    const o = JSON.parse((await req('GET', '/api/overview', s.viewer1)).body) as Overview;
    assert.deepEqual(o.run.captures, ['demo.pcap']);
    assert.equal(o.run.unlocode, 'NLRTM');
    assert.equal(o.run.detection, true);
    assert.ok(o.run.first_ts !== null && o.run.last_ts !== null && o.run.last_ts > o.run.first_ts);
    assert.deepEqual(o.cranes.map((c) => c.crane), ['STS-01', 'STS-02']);
    assert.equal(o.cranes[1].moves, 1);
    assert.equal(o.cranes[1].state, 'working');
    assert.equal(o.counts.incidents, 2);
    assert.equal(o.counts.findings, 7);
    assert.equal(o.counts.flows, 5);
    assert.equal(o.incidents_by_severity.critical + o.incidents_by_severity.high + o.incidents_by_severity.medium + o.incidents_by_severity.low, 2);
    assert.equal(o.cranes[0].open_incidents, 1);
  });

  it('lists page server-side: total counts every match, limit/offset pick the slice', async () => {
    const all = JSON.parse((await req('GET', '/api/findings?limit=500', s.viewer1)).body) as Page<FindingRow>;
    assert.equal(all.total, 7);
    const p1 = JSON.parse((await req('GET', '/api/findings?limit=3&offset=0', s.viewer1)).body) as Page<FindingRow>;
    const p3 = JSON.parse((await req('GET', '/api/findings?limit=3&offset=6', s.viewer1)).body) as Page<FindingRow>;
    assert.equal(p1.total, 7);
    assert.equal(p1.items.length, 3);
    assert.equal(p3.items.length, 1);
    assert.deepEqual(p1.items.map((f) => f.finding_id), all.items.slice(0, 3).map((f) => f.finding_id));
    assert.equal(p3.items[0].finding_id, all.items[6].finding_id);
    const byIncident = JSON.parse((await req('GET', `/api/findings?incident_id=${incidentId}`, s.viewer1)).body) as Page<FindingRow>;
    assert.ok(byIncident.total > 0 && byIncident.items.every((f) => f.incident_id === incidentId));
    const crit = JSON.parse((await req('GET', '/api/incidents?severity=critical&limit=1', s.viewer1)).body) as Page<IncidentRow>;
    assert.equal(crit.total, 2);
    assert.equal(crit.items.length, 1);
    const sts01 = JSON.parse((await req('GET', '/api/incidents?crane=STS-01', s.viewer1)).body) as Page<IncidentRow>;
    assert.ok(sts01.total >= 1 && sts01.items.every((i) => i.cranes.includes('STS-01')), JSON.stringify(sts01.items.map((i) => i.cranes)));
    const none = JSON.parse((await req('GET', '/api/incidents?crane=STS-99', s.viewer1)).body) as Page<IncidentRow>;
    assert.equal(none.total, 0);
  });

  it('incident detail: findings of the incident and a time-ordered timeline', async () => {
    const d = JSON.parse((await req('GET', `/api/incidents/${incidentId}`, s.viewer1)).body) as IncidentDetail;
    assert.equal(d.incident.incident_id, incidentId);
    assert.equal(d.findings.length, d.incident.findings);
    assert.equal(d.timeline.filter((e) => e.kind === 'first').length, d.findings.length);
    const ts = new Map(d.findings.map((f) => [f.finding_id, f.ts]));
    assert.ok(d.timeline.every((e) => e.kind !== 'detected' || e.ts !== ts.get(e.finding_id)), 'no detected entry at the finding time');
    for (let i = 1; i < d.timeline.length; i++) assert.ok(d.timeline[i - 1].ts <= d.timeline[i].ts);
  });

  it('finding evidence: the records of its evidence uids', async () => {
    const e = JSON.parse((await req('GET', `/api/findings/${findingId}/evidence`, s.viewer1)).body) as FindingEvidence;
    assert.equal(e.finding.finding_id, findingId);
    assert.ok(e.records.total >= 1);
    for (const r of e.records.items) {
      assert.ok(e.finding.evidence_streams.includes(r.stream));
      assert.ok(e.finding.evidence_uids.includes(String(r.record.uid)));
      assert.equal(typeof r.record['id.orig_h'], 'string');
    }
  });

  it('streams, moves, containers, assets, map and telemetry answer their shapes', async () => {
    const streams = JSON.parse((await req('GET', '/api/streams', s.viewer1)).body) as StreamInfo[];
    const conn = streams.find((x) => x.stream === 'conn')!;
    assert.equal(conn.records, 5);
    assert.ok(conn.fields.includes('id.orig_h'));
    assert.ok(!streams.some((x) => x.stream.startsWith('console_')));

    const moves = JSON.parse((await req('GET', '/api/moves?crane=STS-02', s.viewer1)).body) as Page<MoveRow>;
    assert.equal(moves.total, 1);
    assert.equal(moves.items[0].kind, 'discharge');
    assert.equal((JSON.parse((await req('GET', '/api/moves?crane=STS-01', s.viewer1)).body) as Page<MoveRow>).total, 0);
    assert.equal((JSON.parse((await req('GET', `/api/moves?from=${moves.items[0].ts + 1}`, s.viewer1)).body) as Page<MoveRow>).total, 0);

    const c = JSON.parse((await req('GET', '/api/containers/mscu1234565', s.viewer1)).body) as ContainerDetail;
    assert.equal(c.container, 'MSCU1234565');
    assert.equal(typeof c.check_digit_valid, 'boolean');
    assert.deepEqual(c.moves, []);

    const assets = JSON.parse((await req('GET', '/api/assets?limit=500', s.viewer1)).body) as Page<AssetRow>;
    assert.equal(assets.total, assets.items.length);
    const rogue = assets.items.find((a) => a.host === '10.10.2.99')!;
    assert.equal(rogue.status, 'uninventoried');
    assert.ok(rogue.open_findings > 0);
    const plc = assets.items.find((a) => a.host === '10.10.2.11')!;
    assert.equal(plc.status, 'inventoried');
    assert.equal(plc.name, 'sts-01-plc');
    assert.equal(plc.zone, 'crane-control');
    const unseen = JSON.parse((await req('GET', '/api/assets?status=unseen', s.viewer1)).body) as Page<AssetRow>;
    assert.ok(unseen.items.every((a) => a.status === 'unseen' && a.first_seen === null));
    const zone = JSON.parse((await req('GET', '/api/assets?zone=crane-control&q=plc', s.viewer1)).body) as Page<AssetRow>;
    assert.deepEqual(zone.items.map((a) => a.host), ['10.10.2.11', '10.10.2.12']);

    const map = JSON.parse((await req('GET', '/api/map', s.viewer1)).body) as CommMap;
    assert.equal(map.truncated, false);
    assert.ok(map.edges.length > 0);
    for (let i = 1; i < map.edges.length; i++) assert.ok(map.edges[i - 1].bytes >= map.edges[i].bytes);
    const ids = new Set(map.nodes.map((n) => n.id));
    for (const e of map.edges) assert.ok(ids.has(e.source) && ids.has(e.target));
    assert.equal(map.nodes.find((n) => n.id === '203.0.113.50')?.kind, 'external');
    assert.ok(map.edges.some((e) => e.violation && e.finding_ids.length > 0));
    const one = JSON.parse((await req('GET', '/api/map?max_edges=1', s.viewer1)).body) as CommMap;
    assert.equal(one.edges.length, 1);
    assert.equal(one.truncated, true);
    assert.equal(one.edges[0].bytes, map.edges[0].bytes);
    const cc = JSON.parse((await req('GET', '/api/map?zone=crane-supervisory', s.viewer1)).body) as CommMap;
    assert.ok(cc.edges.length > 0 && cc.edges.every((e) => e.source === '10.10.1.10' || e.target === '10.10.1.10'));

    const t = JSON.parse((await req('GET', '/api/telemetry?crane=STS-01&points=10', s.viewer1)).body) as Telemetry;
    assert.ok(t.ts.length > 0 && t.ts.length <= 10);
    assert.equal(t.series.load_kg.length, t.ts.length);
    assert.ok(t.series.hoist_position_mm.some((v) => v !== null));
    assert.ok(t.markers.length > 0);
    const t1 = JSON.parse((await req('GET', '/api/telemetry?crane=STS-01&points=1', s.viewer1)).body) as Telemetry;
    assert.equal(t1.ts.length, 1);
  });

  it('error answers carry no stack trace', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    assert.equal(res.statusCode, 400);
    const body = JSON.parse(res.body) as { error: string; message: string };
    assert.equal(typeof body.message, 'string');
    assert.doesNotMatch(res.body, /node_modules|\.js:\d+|\.ts:\d+/);
  });
});
