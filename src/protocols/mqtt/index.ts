import type { AnalyzerSpec } from '../../session/analyzer.js';
import { MqttAnalyzer } from './analyzer.js';
import { MQTT_PORTS, probeMqtt } from './probe.js';
import { TopicBudget } from './topic-budget.js';

/**
 * The MQTT registration for the session layer (OASIS MQTT 3.1.1 and 5.0 over TCP, port 1883): confirmed
 * by a CONNECT on any port, or by MQTT framing on 1883 (probe.ts); writes `mqtt_connect`,
 * `mqtt_subscribe` and `mqtt_publish` (log.ts) and names the service `mqtt` as Zeek does.
 * Call once per run: the analyzers it creates share one TopicBudget (topic-budget.ts), which bounds the
 * topic text all the run's MQTT flows hold (pending requests, Topic Alias tables).
 */
export function createMqttSpec(): AnalyzerSpec {
  const budget = new TopicBudget();
  return Object.freeze<AnalyzerSpec>({ name: 'mqtt', transport: 'tcp', ports: MQTT_PORTS, probe: probeMqtt, create: (ctx) => new MqttAnalyzer(ctx, budget) });
}
