import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-terminal-mem-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('constant memory: 6 h of 4 cranes streamed to a pcap file, RSS growth bounded after the first hour', () => {
  const file = join(dir, 'six-hours.pcap');
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  let rssAtHour = 0;
  let maxRss = 0;
  const r = generateTerminal(w, {
    seed: 3,
    cranes: 4,
    durationSec: 6 * 3600,
    onProgress(done) {
      const rss = process.memoryUsage().rss;
      if (done >= 3600 && rssAtHour === 0) rssAtHour = rss;
      maxRss = Math.max(maxRss, rss);
    },
  });
  w.close();
  assert.equal(statSync(file).size, 24 + 16 * r.packets + r.frameBytes);
  assert.ok(r.frameBytes > 50e6, `${(r.frameBytes / 1e6).toFixed(1)} MB of frames`);
  const growthMb = (maxRss - rssAtHour) / 1e6;
  assert.ok(growthMb < 48, `RSS grew ${growthMb.toFixed(1)} MB over hours 1–6 while writing ${(r.frameBytes / 1e6).toFixed(0)} MB`);
  const perHour = r.truth.moves.length / 6 / 4;
  assert.ok(perHour >= 25 && perHour <= 40, `${perHour.toFixed(1)} moves per crane-hour`);
});
