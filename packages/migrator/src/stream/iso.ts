const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there `toISOString` writes six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;
const ZERO = 0x30;

/** The last day converted (days since 1970-01-01) and its civil date: rows of a batch share their days. */
let lastDay = Number.NaN;
let year = 0;
let month = 0;
let day = 0;

/** Days since 1970-01-01 to the proleptic Gregorian year, month and day (H. Hinnant's days_from_civil, inverted). */
function civil(days: number): void {
  const z = days + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  lastDay = days;
  day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}

const tens = (n: number) => ZERO + Math.floor(n / 10);
const ones = (n: number) => ZERO + (n % 10);

/**
 * `date.toISOString()` ("2026-12-02T01:08:03.123Z") for a valid date at a seventh of the cost:
 * V8's own formats through C++, half a microsecond a row, more than decoding the row. Dates
 * from 1970 to 9999 are written here as one flat string, the rest by V8.
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return date.toISOString(); // throws on an invalid date, as it did
  const days = Math.floor(ms / DAY_MS);
  if (days !== lastDay) civil(days);
  const t = ms - days * DAY_MS;
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor(t / 60_000) % 60;
  const s = Math.floor(t / 1000) % 60;
  const f = t % 1000;
  const century = Math.floor(year / 100);
  const y = year % 100;
  // biome-ignore format: the fields of "YYYY-MM-DDTHH:MM:SS.fffZ" as they read
  return String.fromCharCode(
    tens(century), ones(century), tens(y), ones(y), 0x2d /* - */,
    tens(month), ones(month), 0x2d, tens(day), ones(day), 0x54 /* T */,
    tens(h), ones(h), 0x3a /* : */, tens(m), ones(m), 0x3a, tens(s), ones(s), 0x2e /* . */,
    ZERO + Math.floor(f / 100), tens(f % 100), ones(f), 0x5a /* Z */,
  );
}
