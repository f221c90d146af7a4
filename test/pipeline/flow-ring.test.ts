import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLOW_RING_BIG_PAYLOAD_BYTES, FlowRingReader, FlowRingWriter, newFlowRingMemory } from '../../src/pipeline/flow-ring.js';
import type { ConnSummary } from '../../src/session/conn-log.js';
import type { FlowAnalysis } from '../../src/session/flow-analysis.js';
import { Flow, Side } from '../../src/session/flow.js';
import { makeFlowWeird, makeWeird } from '../../src/session/weird-log.js';
import { newDecodedPacket } from '../../src/decode/decoder.js';
import type { DecodeStageResult } from '../../src/pipeline/decode-stage.js';

/** A flow as the flow table makes one: `a` sent the first packet; `loIsA` says which endpoint is `lo`. */
function flowOf(id: number, loIsA: boolean): Flow {
  const f = new Flow('tcp', 6, 1700000000.25, 12, -1, 1024);
  const a = new Side(f, '10.0.0.1', 50000, 0x0a0b0c0d0e0f, true);
  const b = new Side(f, 'fe80::2', 502, -1, false);
  a.peer = b;
  b.peer = a;
  f.orig = a;
  f.resp = b;
  f.lo = loIsA ? a : b;
  f.uid = `Cflow${id}`;
  f.id = id;
  return f;
}

function summaryOf(f: Flow): ConnSummary {
  return {
    ts: f.ts, uid: f.uid, origH: f.orig.addr, origP: f.orig.port, respH: f.resp.addr, respP: f.resp.port, proto: 'tcp', services: [],
    duration: 1.5, origBytes: 3_000_000_000, respBytes: 7, connState: 'SF', missedBytes: 2, history: 'ShADadFf', origPkts: 9, origIpBytes: 900,
    respPkts: 8, respIpBytes: 800, ipProto: 6, origMac: f.orig.mac, respMac: f.resp.mac, vlan: 12, innerVlan: -1,
  };
}

/** A FlowAnalysis that writes down each call as the flow copy looked at that moment. */
class Recorder implements FlowAnalysis {
  readonly calls: string[] = [];
  constructor(private readonly wantFlush: boolean) {}
  private who(flow: Flow, side?: Side): string {
    const id = flow.connId();
    const s = side === undefined ? '' : ` ${side.isOrig ? 'orig' : 'resp'}=${side.addr}`;
    return `${flow.uid} ${id.orig_h}:${id.orig_p}>${id.resp_h}:${id.resp_p}${s}`;
  }
  open(flow: Flow): void {
    this.calls.push(`open ${this.who(flow)} ts=${flow.ts} vlan=${flow.vlan}/${flow.innerVlan} macs=${flow.orig.mac}/${flow.resp.mac}`);
  }
  payload(flow: Flow, side: Side, data: Uint8Array, ts: number): void {
    const hex = data.length > 64 ? `${data.length} bytes, sum ${data.reduce((s, b) => s + b, 0)}` : Buffer.from(data).toString('hex');
    this.calls.push(`payload ${this.who(flow, side)} ${hex} ts=${ts}`);
  }
  gap(flow: Flow, side: Side, len: number, ts: number): void {
    this.calls.push(`gap ${this.who(flow, side)} ${len} ts=${ts}`);
  }
  flushing(flow: Flow): boolean {
    this.calls.push(`flushing ${this.who(flow)}`);
    return this.wantFlush;
  }
  endGap(flow: Flow, side: Side, len: number, ts: number, admitted: boolean): void {
    this.calls.push(`endGap ${this.who(flow, side)} ${len} ts=${ts} admitted=${admitted}`);
  }
  end(flow: Flow, ts: number, summary: ConnSummary): void {
    this.calls.push(`end ${this.who(flow)} ts=${ts} ${JSON.stringify(summary)}`);
  }
}

/** One sequence of flow-table calls, made on a Recorder directly or on a ring writer. */
function script(a: FlowAnalysis): void {
  const f1 = flowOf(1, true);
  const f2 = flowOf(2, false);
  a.open(f1);
  a.open(f2);
  a.payload(f1, f1.orig, Uint8Array.of(0, 1, 0, 0, 0, 6, 1, 3), 1700000000.5);
  a.payload(f2, f2.resp, Uint8Array.of(0xff), 1700000000.75);
  // Larger than a slot takes: through the big buffer.
  const big = new Uint8Array(FLOW_RING_BIG_PAYLOAD_BYTES + 3).fill(0x5a);
  big[big.length - 1] = 1;
  a.payload(f2, f2.orig, big, 1700000000.8);
  a.gap(f1, f1.resp, 1460, 1700000001);
  // Zeek's flip: the responder turns out to be the originator.
  f1.flip();
  a.payload(f1, f1.orig, new Uint8Array(0x2000).fill(7).subarray(0, 5), 1700000002);
  assert.equal(a.flushing(f1), a instanceof Recorder ? (a as unknown as { wantFlush: boolean }).wantFlush : true);
  a.endGap(f1, f1.resp, 10, 1700000003, true);
  a.payload(f1, f1.resp, Uint8Array.of(9, 9), 1700000003);
  a.endGap(f1, f1.orig, 20, 1700000003, false);
  a.end(f1, 1700000004, summaryOf(f1));
  a.end(f2, 1700000005, summaryOf(f2));
}

for (const wantFlush of [true, false]) {
  test(`calls replayed through the flow ring match direct calls (flush wanted: ${wantFlush})`, async () => {
    const direct = new Recorder(wantFlush);
    script(direct);
    const mem = newFlowRingMemory(1 << 20, 96);
    const writer = new FlowRingWriter(mem);
    script(writer);
    const flowWeird = makeFlowWeird('tcp.bad_checksum', 'weird', 1.5, 'Cflow1', { orig_h: 'fe80::2', orig_p: 502, resp_h: '10.0.0.1', resp_p: 50000, proto: 'tcp' }, 'orig');
    const packetWeird = { ...makeWeird('ip.unsupported_protocol', 'weird', newDecodedPacket()), ts: 2 };
    writer.write('weird', flowWeird);
    writer.write('weird', packetWeird);
    writer.write('dns', { ts: 3, query: 'crane.example', answers: ['10.0.0.9'] });
    writer.arp({ op: 1, senderMac: 0x0a0b0c0d0e0f, senderIp: '10.0.0.1', targetMac: 0, targetIp: '10.0.0.2' }, 5);
    const result: DecodeStageResult = {
      loop: { packets: 9, bytes: 900, perFile: [9], firstTs: 1, lastTs: 5, decode: { ok: 8, held: 0, malformed: 1, unsupported: 0 } },
      inputs: [{ path: 'a.pcap', format: 'pcap', bytes: 1000 }],
      warnings: Array.from({ length: 3 }, (_, k) => ({ file: 'a.pcap', offset: 100 * k, code: 'capture.unknown_interface', message: `warning ${k}` })),
      checksums: { mode: 'auto', dropped: 0, offloadingHosts: [] },
    };
    writer.finish(result);
    const replayed = new Recorder(wantFlush);
    const records: [string, unknown][] = [];
    const arps: unknown[] = [];
    const reader = new FlowRingReader(mem, { analysis: replayed, record: (s, r) => records.push([s, r]), arp: (a, ts) => arps.push([a, ts]), progress: () => undefined }, 1024);
    let done: { done: unknown } | undefined;
    while (done === undefined) done = await reader.next(new Promise<never>(() => undefined));
    assert.deepEqual(done.done, result);
    // End gaps are replayed only when the reading side wanted the flush, as a one-thread flow table would call them.
    const expected = wantFlush ? direct.calls : direct.calls.filter((c) => !c.startsWith('endGap'));
    assert.deepEqual(replayed.calls, expected);
    assert.deepEqual(records, [
      ['weird', flowWeird],
      ['weird', packetWeird],
      ['dns', { ts: 3, query: 'crane.example', answers: ['10.0.0.9'] }],
    ]);
    assert.deepEqual(Object.keys(records[1][1] as object), Object.keys(packetWeird), 'the weird record keeps its column order');
    assert.deepEqual(arps, [[{ op: 1, senderMac: 0x0a0b0c0d0e0f, senderIp: '10.0.0.1', targetMac: 0, targetIp: '10.0.0.2' }, 5]]);
    assert.equal(reader.openFlows, 0, 'every copy is dropped at its end');
  });
}
