/**
 * Run-wide bound on the topic text MQTT analyzers hold between packets: the Topic Filters of SUBSCRIBE /
 * UNSUBSCRIBE requests waiting for their SUBACK / UNSUBACK (pairing.ts) and the v5 Topic Alias tables
 * (OASIS MQTT 5.0 §3.3.2.3.4) of every flow. Text is counted in units: one per UTF-16 code unit of a
 * topic's log text plus TOPIC_OVERHEAD_UNITS per topic (a V8 string header and its array or map slot),
 * so a unit is one to two bytes of heap.
 */

/** Units charged per held topic on top of its characters (V8 string header, array / map slot). */
export const TOPIC_OVERHEAD_UNITS = 32;

/**
 * Units of topic text one flow may hold in its pending SUBSCRIBE / UNSUBSCRIBE entries (≈ 256–512 KiB of
 * heap); beyond it the flow's oldest pending requests are written early, then the new request's topics cut.
 */
export const MAX_PENDING_TOPIC_UNITS_PER_FLOW = 256 << 10;

/** Units of topic text one direction's v5 Topic Alias table may hold; an alias past it is not remembered. */
export const MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION = 64 << 10;

/**
 * Units of topic text all MQTT flows of a run may hold together (pending requests and alias tables,
 * ≈ 16–32 MiB of heap, which the 300 MB peak-RSS budget of config/limits.ts covers with V8's headroom).
 */
export const MAX_TOPIC_UNITS_TOTAL = 16 << 20;

/** Units one held topic of log text `topic` costs. */
export function topicUnits(topic: string): number {
  return topic.length + TOPIC_OVERHEAD_UNITS;
}

/**
 * The run-wide counter of held topic units (MAX_TOPIC_UNITS_TOTAL by default). One instance is shared by
 * every MQTT analyzer of a run (index.ts); each analyzer gives back what it took when the text is let go.
 */
export class TopicBudget {
  private held = 0;

  /** @param total units the run may hold (MAX_TOPIC_UNITS_TOTAL unless a test asks for less) */
  constructor(readonly total: number = MAX_TOPIC_UNITS_TOTAL) {}

  /** Units held now across the run. */
  get heldUnits(): number {
    return this.held;
  }

  /** Take `units` when they fit under the run's bound; false (nothing taken) when they do not. */
  take(units: number): boolean {
    if (this.held + units > this.total) return false;
    this.held += units;
    return true;
  }

  /** Give back `units` taken before. */
  give(units: number): void {
    this.held -= units;
  }
}
