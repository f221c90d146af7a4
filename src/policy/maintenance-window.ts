import type { Site } from './site-schema.js';
import { WEEKDAYS } from './site-schema.js';

/** One occurrence of a maintenance window: [startTs, endTs), seconds since the epoch. */
export interface WindowSpan {
  startTs: number;
  endTs: number;
}

const DAY = 86_400;

/** Offset of time zone `tz` from UTC at `epoch` (seconds; + east of Greenwich), from the IANA data of `Intl`. */
function offsetSec(fmt: Intl.DateTimeFormat, epoch: number): number {
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(epoch * 1000))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) / 1000 - epoch;
}

/** Epoch seconds of local wall time `minutes` after midnight of the UTC-calendar day `dayStart` in `fmt`'s zone. */
function zoned(fmt: Intl.DateTimeFormat, dayStart: number, minutes: number): number {
  const guess = dayStart + minutes * 60;
  const first = guess - offsetSec(fmt, guess);
  return guess - offsetSec(fmt, first);
}

/** Minutes after midnight of "HH:MM". */
function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * The occurrences of the site's maintenance windows that apply to crane `craneId` (windows without a
 * crane list apply to all) and overlap [fromTs, toTs), in time order. Weekly windows are local times
 * in their IANA time zone (daylight saving included; a window whose end is not after its start runs
 * past midnight); interval windows are ISO 8601 instants.
 */
export function maintenanceWindows(site: Site, craneId: string, fromTs: number, toTs: number): WindowSpan[] {
  const out: WindowSpan[] = [];
  for (const w of site.maintenance_windows) {
    if (w.cranes !== undefined && !w.cranes.includes(craneId)) continue;
    if ('weekdays' in w) {
      const fmt = new Intl.DateTimeFormat('en-US', { timeZone: w.timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      const startMin = minutesOf(w.start);
      let endMin = minutesOf(w.end);
      if (endMin <= startMin) endMin += 24 * 60;
      for (let day = Math.floor(fromTs / DAY) * DAY - 2 * DAY; day < toTs + DAY; day += DAY) {
        const weekday = WEEKDAYS[(new Date(day * 1000).getUTCDay() + 6) % 7];
        if (!w.weekdays.includes(weekday)) continue;
        const span = { startTs: zoned(fmt, day, startMin), endTs: zoned(fmt, day, endMin) };
        if (span.endTs > fromTs && span.startTs < toTs) out.push(span);
      }
    } else {
      const span = { startTs: Date.parse(w.from) / 1000, endTs: Date.parse(w.to) / 1000 };
      if (span.endTs > fromTs && span.startTs < toTs) out.push(span);
    }
  }
  return out.sort((a, b) => a.startTs - b.startTs);
}
