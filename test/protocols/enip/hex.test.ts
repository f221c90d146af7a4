import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hexBytes, hexCode } from '../../../src/protocols/enip/log.js';

test('hexBytes gives the lowercase hex of any byte range, short and long, cut at whole bytes by maxChars', () => {
  const frame = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255);
  const view = frame.subarray(5); // a view with a non-zero byteOffset
  for (let len = 0; len <= 40; len++) {
    for (const off of [0, 1, 17]) {
      const want = Buffer.from(view.subarray(off, off + len)).toString('hex');
      assert.equal(hexBytes(view, off, len, 1024), want, `len ${len} off ${off}`);
      assert.equal(hexBytes(view, off, len, 9), want.slice(0, 8), `len ${len} off ${off}, 9 characters at most`);
    }
  }
  assert.equal(hexBytes(view, 0, 200, 1024), Buffer.from(view.subarray(0, 200)).toString('hex'));
  assert.equal(hexCode(0x1c, 4), '0x001c');
});
