// Korean phone numbers, one spelling each: `010-1234-5678`, `01012345678`, `010 1234 5678`,
// `(010) 1234-5678`, full-width digits and `+82 10 1234 5678` (or `+82 (0)10…`, `0082 10…`) are
// all `01012345678`, the seed's spelling. A foreign number keeps its country code (`+14155550100`).
// Pure functions: the member service and the import job both use them, so a number typed at
// the desk and the same number in an imported file are one number.

/** The number in one spelling (`01012345678`, or `+<country><number>` abroad), or null when `text` is no phone number. */
export function normalizePhone(text: string): string | null {
  const trimmed = text.normalize('NFKC').trim();
  if (!trimmed) return null;
  // Only digits, the usual separators and one leading "+" may appear (no letters, no invisible characters).
  if (!/^\+?[\d ().\-/]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  const international = trimmed.startsWith('+') || digits.startsWith('00');
  if (international) {
    if (!trimmed.startsWith('+')) digits = digits.slice(2);
    if (!digits.startsWith('82')) {
      // A foreign number, E.164: a country code (never 0) and 8 to 15 digits in all.
      return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
    }
    digits = digits.slice(2);
    if (!digits.startsWith('0')) digits = `0${digits}`;
  }
  return isDomestic(digits) ? digits : null;
}

/** Mobile 01x (10–11 digits), Seoul 02 (9–10), other areas, 070 and 050x (10–12), and the nationwide 15xx–19xx (8). */
function isDomestic(digits: string): boolean {
  return /^01[016789]\d{7,8}$/.test(digits) || /^02\d{7,8}$/.test(digits) || /^0[3-9]\d{8,10}$/.test(digits) || /^1[5-9]\d{6}$/.test(digits);
}

/** The last four digits, what a Korean desk asks a member for; null when there are fewer. */
export function lastFourDigits(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/** `01012345678` → `010-1234-5678`, `021234567` → `02-123-4567`; anything else as it is. */
export function formatPhone(phone: string): string {
  if (/^02\d{7,8}$/.test(phone)) return `02-${phone.slice(2, -4)}-${phone.slice(-4)}`;
  if (/^1[5-9]\d{6}$/.test(phone)) return `${phone.slice(0, 4)}-${phone.slice(4)}`;
  if (/^0\d{9,10}$/.test(phone)) return `${phone.slice(0, 3)}-${phone.slice(3, -4)}-${phone.slice(-4)}`;
  return phone;
}
