/**
 * Writes the benchmark capture: a terminal's crane management server polling `cranes` crane PLCs over
 * Modbus/TCP (function 3, the demo register block, every 250 ms), until the file reaches `targetBytes`.
 * Deterministic for a given seed. Built from the twin's packet layer (src/sim), written with PcapWriter.
 */
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { LinkType } from '../src/capture/packet.js';
import { DemoCrane } from '../src/sim/demo-crane.js';
import { DEMO_CRANES, DEMO_REGISTER_MAP } from '../src/sim/demo-site.js';
import { FunctionCode } from '../src/sim/modbus/constants.js';
import { PollScript } from '../src/sim/modbus/poll-script.js';
import { RegisterBank } from '../src/sim/modbus/register-bank.js';
import { ModbusServer } from '../src/sim/modbus/server.js';
import { ModbusTcpSession } from '../src/sim/modbus/session.js';
import { FrameBuilder } from '../src/sim/net/frame-builder.js';
import { createHost, ephemeralPort } from '../src/sim/net/host.js';
import { Prng } from '../src/sim/random.js';
import { Scheduler } from '../src/sim/scheduler.js';

export interface PollingCaptureResult {
  packets: number;
  bytes: number;
  durationSec: number;
}

/** Generate the polling capture at `path` (pcap, Ethernet, µs) of at least `targetBytes` bytes. */
export function writePollingCapture(path: string, targetBytes: number, cranes = 100, seed = 7): PollingCaptureResult {
  const writer = PcapWriter.toFile(path, { linkType: LinkType.ETHERNET });
  const fb = new FrameBuilder(writer);
  const sched = new Scheduler();
  const start = 1_741_939_200;
  const cms = createHost({ name: 'cms', mac: '00:0e:8c:10:01:0a', ip: '10.10.1.10', stack: 'linux' }, Prng.derive(seed, 'cms'));
  for (let i = 0; i < cranes; i++) {
    const mac = `00:80:f4:20:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
    const plc = createHost({ name: `plc-${i}`, mac, ip: `10.10.${2 + (i >> 8)}.${(i & 0xff) + 1}`, stack: 'embedded' }, Prng.derive(seed, `plc/${i}`));
    const bank = new RegisterBank({ coils: 16, discreteInputs: 16, inputRegisters: 16, holdingRegisters: 128 });
    const crane = new DemoCrane(Prng.derive(seed, `crane/${i}`), start, 100_000 + i * 40_000, 6 + (i % 7) * 0.3);
    const server = new ModbusServer(bank, DEMO_CRANES[i % DEMO_CRANES.length].identity, crane);
    const rng = Prng.derive(seed, `poll/${i}`);
    const script = new PollScript(
      {
        startTs: start + 0.1 + i * 0.0021,
        intervalSec: 0.25,
        jitterSec: 0.002,
        unit: 1,
        fc: FunctionCode.READ_HOLDING_REGISTERS,
        address: DEMO_REGISTER_MAP.poll.address,
        quantity: DEMO_REGISTER_MAP.poll.quantity,
      },
      rng,
    );
    sched.add(new ModbusTcpSession(fb, cms, plc, server, script, rng, { connectTs: start + i * 0.0021, clientPort: ephemeralPort(cms, rng), close: 'none' }));
  }
  let t = start;
  while (fb.bytes + 24 + 16 * fb.frames < targetBytes) {
    t += 10;
    sched.run(t);
  }
  writer.close();
  return { packets: fb.frames, bytes: 24 + 16 * fb.frames + fb.bytes, durationSec: t - start };
}
