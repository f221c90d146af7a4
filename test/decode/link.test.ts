import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { ETH_IPV4, IPV4_TCP_52, MODBUS_READ, TCP_PSH_ACK } from './fixtures.js';
import { concat, decodeOnce, hex, rawOf, subView } from './helpers.js';

/** IPv4/TCP/Modbus datagram without a link header (52 bytes). */
const IP_DATAGRAM = concat(IPV4_TCP_52, TCP_PSH_ACK, MODBUS_READ);

/** Asserts the IPv4/TCP/Modbus layers above any link header decoded. */
function assertModbusTcp(pkt: ReturnType<typeof decodeOnce>['pkt']): void {
  assert.equal(pkt.ipVersion, 4);
  assert.equal(pkt.src, '192.168.10.10');
  assert.equal(pkt.dst, '192.168.10.20');
  assert.equal(pkt.srcPort, 49374);
  assert.equal(pkt.dstPort, 502);
  assert.deepEqual([...pkt.payload], [...MODBUS_READ]);
}

describe('Ethernet II', () => {
  test('MACs, EtherType, layers above; from a sub-view buffer', () => {
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, subView(concat(ETH_IPV4, IP_DATAGRAM))));
    assert.equal(status, 'ok');
    assert.deepEqual(anomalies, []);
    assert.equal(pkt.dstMac, 0x0015ac1e0102);
    assert.equal(pkt.srcMac, 0x00105a0a0b0c);
    assert.equal(pkt.etherType, 0x0800);
    assert.equal(pkt.vlan, -1);
    assert.equal(pkt.innerVlan, -1);
    assertModbusTcp(pkt);
  });

  test('802.3 length frame is unsupported, not an error', () => {
    const frame = hex`
      01 80 c2 00 00 00   # destination MAC (STP multicast)
      00 10 5a 0a 0b 0c   # source MAC
      00 26               # length 38 (≤ 1500: IEEE 802.3 length, not an EtherType)
      42 42 03            # LLC DSAP 0x42, SSAP 0x42, control UI
      00 00 00 00         # STP BPDU start
    `;
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, frame));
    assert.equal(status, 'unsupported');
    assert.deepEqual(anomalies, []);
    assert.equal(pkt.etherType, -1);
    assert.equal(pkt.srcMac, 0x00105a0a0b0c);
  });

  test('unknown EtherType (LLDP) is unsupported with its EtherType kept', () => {
    const frame = hex`
      01 80 c2 00 00 0e   # destination MAC (LLDP multicast)
      00 10 5a 0a 0b 0c   # source MAC
      88 cc               # EtherType LLDP
      02 07 04            # chassis id TLV start
    `;
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, frame));
    assert.equal(status, 'unsupported');
    assert.deepEqual(anomalies, []);
    assert.equal(pkt.etherType, 0x88cc);
  });

  test('truncated header: MACs kept when 12 bytes exist, 0 and 1 byte frames do not throw', () => {
    const r = decodeOnce(rawOf(LinkType.ETHERNET, ETH_IPV4.subarray(0, 13)));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['eth.truncated_header']);
    assert.equal(r.pkt.srcMac, 0x00105a0a0b0c);
    for (const n of [0, 1, 11]) {
      const s = decodeOnce(rawOf(LinkType.ETHERNET, ETH_IPV4.subarray(0, n)));
      assert.equal(s.status, 'malformed');
      assert.equal(s.pkt.srcMac, -1);
    }
  });
});

describe('VLAN tags', () => {
  test('802.1Q single tag', () => {
    const frame = concat(
      hex`
        00 15 ac 1e 01 02   # destination MAC
        00 10 5a 0a 0b 0c   # source MAC
        81 00               # TPID 802.1Q
        a0 64               # TCI: PCP 5, DEI 0, VID 100
        08 00               # EtherType IPv4
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, subView(frame)));
    assert.equal(status, 'ok');
    assert.equal(pkt.vlan, 100);
    assert.equal(pkt.innerVlan, -1);
    assert.equal(pkt.etherType, 0x0800);
    assertModbusTcp(pkt);
  });

  test('802.1ad QinQ: outer → vlan, inner → innerVlan', () => {
    const frame = concat(
      hex`
        00 15 ac 1e 01 02   # destination MAC
        00 10 5a 0a 0b 0c   # source MAC
        88 a8               # TPID 802.1ad S-TAG
        00 c8               # TCI: VID 200
        81 00               # TPID 802.1Q C-TAG
        0f ff               # TCI: VID 4095
        08 00               # EtherType IPv4
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, frame));
    assert.equal(status, 'ok');
    assert.equal(pkt.vlan, 200);
    assert.equal(pkt.innerVlan, 4095);
    assertModbusTcp(pkt);
  });

  test('pre-standard 0x9100 outer tag and a third tag (skipped)', () => {
    const frame = concat(
      hex`
        00 15 ac 1e 01 02   # destination MAC
        00 10 5a 0a 0b 0c   # source MAC
        91 00               # TPID 0x9100 (pre-standard QinQ)
        00 0a               # TCI: VID 10
        81 00               # TPID 802.1Q
        00 14               # TCI: VID 20
        81 00               # TPID 802.1Q (third tag)
        00 1e               # TCI: VID 30 (not kept)
        08 00               # EtherType IPv4
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, frame));
    assert.equal(status, 'ok');
    assert.equal(pkt.vlan, 10);
    assert.equal(pkt.innerVlan, 20);
    assertModbusTcp(pkt);
  });

  test('truncated tag is malformed with the outer VID kept', () => {
    const frame = hex`
      00 15 ac 1e 01 02   # destination MAC
      00 10 5a 0a 0b 0c   # source MAC
      88 a8               # TPID 802.1ad
      00 c8               # TCI: VID 200
      81 00               # TPID 802.1Q
      00 14               # TCI: VID 20
      08                  # EtherType cut after one byte
    `;
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, frame));
    assert.equal(status, 'malformed');
    assert.deepEqual(anomalies, ['vlan.truncated_header']);
    assert.equal(pkt.vlan, 200);
    assert.equal(pkt.innerVlan, -1);
  });
});

describe('Linux cooked capture', () => {
  test('SLL v1 with a 6-byte address', () => {
    const frame = concat(
      hex`
        00 00               # packet type 0: to us
        00 01               # ARPHRD_ETHER
        00 06               # link-layer address length 6
        00 0c 29 aa bb cc   # address 00:0c:29:aa:bb:cc
        00 00               # address padding to 8 bytes
        08 00               # protocol type IPv4
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.LINUX_SLL, subView(frame)));
    assert.equal(status, 'ok');
    assert.equal(pkt.srcMac, 0x000c29aabbcc);
    assert.equal(pkt.dstMac, -1);
    assert.equal(pkt.etherType, 0x0800);
    assertModbusTcp(pkt);
  });

  test('SLL v1 with a non-6-byte address leaves srcMac unset; netlink is unsupported', () => {
    const frame = concat(
      hex`
        00 04               # packet type 4: outgoing
        03 04               # ARPHRD_LOOPBACK (772)
        00 00               # link-layer address length 0
        00 00 00 00 00 00 00 00   # address (unused)
        08 00               # protocol type IPv4
      `,
      IP_DATAGRAM,
    );
    const r = decodeOnce(rawOf(LinkType.LINUX_SLL, frame));
    assert.equal(r.status, 'ok');
    assert.equal(r.pkt.srcMac, -1);
    const netlink = hex`
      00 04               # packet type 4: outgoing
      03 38               # ARPHRD_NETLINK (824)
      00 00               # address length 0
      00 00 00 00 00 00 00 00   # address
      00 00               # netlink family NETLINK_ROUTE
      14 00 00 00         # netlink message start
    `;
    assert.equal(decodeOnce(rawOf(LinkType.LINUX_SLL, netlink)).status, 'unsupported');
  });

  test('SLL v1 carrying an 802.1Q tag', () => {
    const frame = concat(
      hex`
        00 00               # packet type 0
        00 01               # ARPHRD_ETHER
        00 06               # address length 6
        00 0c 29 aa bb cc 00 00   # address + padding
        81 00               # protocol type 802.1Q
        00 07               # TCI: VID 7
        08 00               # EtherType IPv4
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.LINUX_SLL, frame));
    assert.equal(status, 'ok');
    assert.equal(pkt.vlan, 7);
    assertModbusTcp(pkt);
  });

  test('SLL v2', () => {
    const frame = concat(
      hex`
        08 00               # protocol type IPv4
        00 00               # reserved
        00 00 00 02         # interface index 2
        00 01               # ARPHRD_ETHER
        00                  # packet type 0: to us
        06                  # link-layer address length 6
        00 0c 29 aa bb cc   # address 00:0c:29:aa:bb:cc
        00 00               # address padding
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.LINUX_SLL2, subView(frame)));
    assert.equal(status, 'ok');
    assert.equal(pkt.srcMac, 0x000c29aabbcc);
    assertModbusTcp(pkt);
  });

  test('truncated SLL and SLL2 headers', () => {
    const r1 = decodeOnce(rawOf(LinkType.LINUX_SLL, new Uint8Array(15)));
    assert.equal(r1.status, 'malformed');
    assert.deepEqual(r1.anomalies, ['sll.truncated_header']);
    const r2 = decodeOnce(rawOf(LinkType.LINUX_SLL2, new Uint8Array(19)));
    assert.equal(r2.status, 'malformed');
    assert.deepEqual(r2.anomalies, ['sll2.truncated_header']);
  });

  test('SLL protocol below 0x0600 (802.2 LLC) is unsupported', () => {
    const frame = hex`
      00 00 00 01 00 06 00 0c 29 aa bb cc 00 00   # packet type, ARPHRD_ETHER, address length, address
      00 04               # protocol 4: 802.2 LLC frame follows
      42 42 03            # LLC header
    `;
    assert.equal(decodeOnce(rawOf(LinkType.LINUX_SLL, frame)).status, 'unsupported');
  });
});

describe('BSD loopback (NULL, LOOP)', () => {
  test('NULL, family 2 little-endian (x86 host) → IPv4', () => {
    const frame = concat(
      hex`
        02 00 00 00         # family AF_INET, host (little-endian) order
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.NULL, subView(frame)));
    assert.equal(status, 'ok');
    assert.equal(pkt.etherType, 0x0800);
    assert.equal(pkt.srcMac, -1);
    assertModbusTcp(pkt);
  });

  test('NULL, family 2 big-endian (written on a big-endian host) → IPv4', () => {
    const frame = concat(
      hex`
        00 00 00 02         # family AF_INET, big-endian
      `,
      IP_DATAGRAM,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.NULL, frame));
    assert.equal(status, 'ok');
    assertModbusTcp(pkt);
  });

  test('LOOP in network order, and written little-endian by mistake', () => {
    const be = concat(hex`00 00 00 02   # family AF_INET, network order`, IP_DATAGRAM);
    const le = concat(hex`02 00 00 00   # family AF_INET, wrong (little-endian) order`, IP_DATAGRAM);
    assert.equal(decodeOnce(rawOf(LinkType.LOOP, be)).status, 'ok');
    assert.equal(decodeOnce(rawOf(LinkType.LOOP, le)).status, 'ok');
  });

  test('IPv6 families 24, 28, 30 in both byte orders; unknown family unsupported', () => {
    const ip6 = hex`
      60 00 00 00         # version 6, traffic class 0, flow label 0
      00 00               # payload length 0
      3b                  # next header 59: no next header
      40                  # hop limit 64
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # source ::1
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # destination ::1
    `;
    for (const fam of [24, 28, 30]) {
      for (const head of [Uint8Array.of(fam, 0, 0, 0), Uint8Array.of(0, 0, 0, fam)]) {
        const { status, pkt } = decodeOnce(rawOf(LinkType.NULL, concat(head, ip6)));
        assert.equal(status, 'ok', `family ${fam}`);
        assert.equal(pkt.etherType, 0x86dd);
        assert.equal(pkt.ipVersion, 6);
        assert.equal(pkt.src, '::1');
        assert.equal(pkt.ipProto, 59);
      }
    }
    const r = decodeOnce(rawOf(LinkType.NULL, concat(hex`07 00 00 00   # family 7: not IP`, ip6)));
    assert.equal(r.status, 'unsupported');
    assert.deepEqual(r.anomalies, []);
  });

  test('truncated family', () => {
    const r = decodeOnce(rawOf(LinkType.NULL, hex`02 00 00   # family cut short`));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['loopback.truncated_header']);
  });
});

describe('raw IP link types', () => {
  test('RAW (101) picks IPv4 / IPv6 from the version nibble; IPV4 (228); IPV6 (229)', () => {
    const a = decodeOnce(rawOf(LinkType.RAW, subView(IP_DATAGRAM)));
    assert.equal(a.status, 'ok');
    assertModbusTcp(a.pkt);
    const b = decodeOnce(rawOf(LinkType.IPV4, IP_DATAGRAM));
    assert.equal(b.status, 'ok');
    assertModbusTcp(b.pkt);
    const ip6 = hex`
      60 00 00 00         # version 6
      00 00               # payload length 0
      3b                  # next header: none
      ff                  # hop limit 255
      fe 80 00 00 00 00 00 00 02 0c 29 ff fe aa bb cc   # source fe80::20c:29ff:feaa:bbcc
      ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # destination ff02::1
    `;
    for (const lt of [LinkType.RAW, LinkType.IPV6]) {
      const c = decodeOnce(rawOf(lt, ip6));
      assert.equal(c.status, 'ok');
      assert.equal(c.pkt.src, 'fe80::20c:29ff:feaa:bbcc');
      assert.equal(c.pkt.dst, 'ff02::1');
      assert.equal(c.pkt.ttl, 255);
    }
  });

  test('unknown link type is unsupported without an anomaly', () => {
    const r = decodeOnce(rawOf(105, IP_DATAGRAM));
    assert.equal(r.status, 'unsupported');
    assert.deepEqual(r.anomalies, []);
  });
});
