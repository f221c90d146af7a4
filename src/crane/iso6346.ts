/**
 * ISO 6346:2022 freight-container identification: owner code (3 letters), equipment category
 * identifier (U freight container, J detachable freight-container-related equipment, Z trailer or
 * chassis), serial number (6 digits) and check digit (1 digit), 11 characters in all
 * (ISO 6346:2022, the identification system and Annex A, calculation of the check digit).
 * Pure functions: no I/O, no state.
 */
import { CwError } from '../errors.js';

/** Equipment category identifier (ISO 6346:2022). */
export type EquipmentCategory = 'U' | 'J' | 'Z';

/**
 * Why a text is not a container number:
 * - `length`: not 11 characters once the optional separators are removed;
 * - `format`: owner code not 3 letters, or serial / check digit not digits;
 * - `category`: fourth character is a letter other than U, J, Z;
 * - `check_digit`: well formed but the eleventh digit differs from Annex A's result.
 */
export type ContainerNumberError = 'length' | 'format' | 'category' | 'check_digit';

/** A parsed, check-digit-valid container number. */
export interface ContainerNumber {
  ok: true;
  /** Owner code, 3 upper-case letters (ISO 6346). */
  owner: string;
  /** Equipment category identifier (ISO 6346). */
  category: EquipmentCategory;
  /** Serial number, 6 digits (ISO 6346). */
  serial: string;
  /** Check digit 0–9 (ISO 6346 Annex A). */
  checkDigit: number;
  /** The 11 characters upper-cased without separators, e.g. `CSQU3054383`. */
  normalized: string;
}

/** A text that is not a valid container number, and why. */
export interface ContainerNumberInvalid {
  ok: false;
  reason: ContainerNumberError;
}

/** Result of `parseContainerNumber`. */
export type ContainerNumberResult = ContainerNumber | ContainerNumberInvalid;

/**
 * Annex A letter values, indexed by char code: A=10, B=12, … skipping 11, 22 and 33 (multiples of
 * 11), so V=34 … Z=38; digits keep their value; every other code is -1.
 */
const VALUE = ((): Int8Array => {
  const t = new Int8Array(128).fill(-1);
  for (let d = 0; d <= 9; d++) t[0x30 + d] = d;
  let v = 10;
  for (let c = 0x41; c <= 0x5a; c++) {
    if (v % 11 === 0) v++;
    t[c] = v;
    t[c + 0x20] = v; // lower case reads the same
    v++;
  }
  return t;
})();

/** Result of the Annex A sum for the first 10 characters of `s` from `start` (char codes read directly); -1 if one is not alphanumeric ASCII. */
function annexA(s: string, start: number): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = s.charCodeAt(start + i);
    const v = c < 128 ? VALUE[c] : -1;
    if (v < 0) return -1;
    sum += v << i; // weight 2^i
  }
  return (sum % 11) % 10;
}

/**
 * ISO 6346:2022 Annex A check digit of the 10 bytes at `start` of `bytes` (ASCII letters/digits), for
 * byte scanners; -1 when one is not an ASCII letter or digit or the range passes the end. No allocation.
 */
export function checkDigitBytes(bytes: Uint8Array, start: number): number {
  if (start < 0 || start + 10 > bytes.length) return -1;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = bytes[start + i];
    const v = c < 128 ? VALUE[c] : -1;
    if (v < 0) return -1;
    sum += v << i;
  }
  return (sum % 11) % 10;
}

/**
 * ISO 6346:2022 Annex A check digit of the first 10 characters (owner code + category + serial).
 * Each character takes its value (digits 0–9; letters A=10, B=12 … Z=38, skipping multiples of 11),
 * is multiplied by 2^position (position 0–9) and the sum is taken mod 11, then mod 10 (a remainder of
 * 10 gives 0). Letters are read case-insensitively.
 * @param ownerEquip10 exactly 10 characters, e.g. `CSQU305438`
 * @returns 0–9, or -1 when the input is not 10 ASCII letters/digits (no throw)
 */
export function checkDigit(ownerEquip10: string): number {
  if (ownerEquip10.length !== 10) return -1;
  return annexA(ownerEquip10, 0);
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Parse a container number as written in EDI, on a box or in a payload. Case-insensitive; leading and
 * trailing white space is ignored; one space or dash may stand between the category letter and the
 * serial and between the serial and the check digit, as the marking is painted on boxes
 * (`CSQU 305438 3`, `CSQU-305438-3`; the ISO 6346 marking).
 * Reasons are tested in this order: length, format (owner code and digits), category, check digit.
 * Never throws.
 */
export function parseContainerNumber(text: string): ContainerNumberResult {
  let s = text.trim();
  if (s.length !== 11) {
    if (s.length < 12 || s.length > 13) return INVALID_LENGTH;
    s = stripSeparators(s);
    if (s.length !== 11) return INVALID_LENGTH;
  }
  for (let i = 0; i < 3; i++) if (!isLetter(s.charCodeAt(i))) return INVALID_FORMAT;
  const cat = s.charCodeAt(3);
  if (!isLetter(cat)) return INVALID_FORMAT;
  for (let i = 4; i < 11; i++) if (!isDigit(s.charCodeAt(i))) return INVALID_FORMAT;
  const category = String.fromCharCode(cat & ~0x20);
  if (category !== 'U' && category !== 'J' && category !== 'Z') return INVALID_CATEGORY;
  const expected = annexA(s, 0);
  const given = s.charCodeAt(10) - 0x30;
  if (expected !== given) return INVALID_CHECK_DIGIT;
  const normalized = s.toUpperCase();
  return {
    ok: true,
    owner: normalized.slice(0, 3),
    category,
    serial: normalized.slice(4, 10),
    checkDigit: given,
    normalized,
  };
}

/** `XXXU 123456 7` / `XXXU-123456-7` (each separator optional) → 11 characters; anything else unchanged. */
function stripSeparators(s: string): string {
  let out = s.slice(0, 4);
  let i = 4;
  if (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x2d) i++;
  out += s.slice(i, i + 6);
  i += 6;
  if (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x2d) i++;
  out += s.slice(i);
  return out;
}

const INVALID_LENGTH: ContainerNumberInvalid = Object.freeze({ ok: false, reason: 'length' }) as ContainerNumberInvalid;
const INVALID_FORMAT: ContainerNumberInvalid = Object.freeze({ ok: false, reason: 'format' }) as ContainerNumberInvalid;
const INVALID_CATEGORY: ContainerNumberInvalid = Object.freeze({ ok: false, reason: 'category' }) as ContainerNumberInvalid;
const INVALID_CHECK_DIGIT: ContainerNumberInvalid = Object.freeze({ ok: false, reason: 'check_digit' }) as ContainerNumberInvalid;

/**
 * True when the 11 characters of `s` starting at `start` are `[A-Z]{3}[UJZ][0-9]{7}` (upper case only,
 * as EDI and OCR write them) with a valid Annex A check digit. No allocation; for scanners.
 */
export function isValidContainerNumberAt(s: string, start: number): boolean {
  if (start < 0 || start + 11 > s.length) return false;
  for (let i = 0; i < 3; i++) {
    const c = s.charCodeAt(start + i);
    if (c < 0x41 || c > 0x5a) return false;
  }
  const cat = s.charCodeAt(start + 3);
  if (cat !== 0x55 && cat !== 0x4a && cat !== 0x5a) return false;
  for (let i = 4; i < 11; i++) if (!isDigit(s.charCodeAt(start + i))) return false;
  return annexA(s, start) === s.charCodeAt(start + 10) - 0x30;
}

/**
 * Build a valid container number: owner code + category + serial + the Annex A check digit.
 * @param owner3 three letters (any case; upper-cased)
 * @param category `U`, `J` or `Z`
 * @param serial6 six digits (a number is zero-padded to 6 digits)
 * @returns the 11-character number, e.g. `makeContainerNumber('CSQ', 'U', '305438')` → `CSQU3054383`
 * @throws CwError `CW_ERR_CONFIG` when an argument is malformed (a configuration error of the caller)
 */
export function makeContainerNumber(owner3: string, category: EquipmentCategory, serial6: string | number): string {
  const owner = owner3.toUpperCase();
  if (!/^[A-Z]{3}$/.test(owner)) throw new CwError('CW_ERR_CONFIG', `container owner code must be 3 letters, got "${owner3}"`);
  if (category !== 'U' && category !== 'J' && category !== 'Z') {
    throw new CwError('CW_ERR_CONFIG', `container equipment category must be U, J or Z, got "${String(category)}"`);
  }
  const serial = typeof serial6 === 'number' ? String(serial6).padStart(6, '0') : serial6;
  if (!/^[0-9]{6}$/.test(serial)) throw new CwError('CW_ERR_CONFIG', `container serial must be 6 digits, got "${String(serial6)}"`);
  const first10 = owner + category + serial;
  return first10 + String(annexA(first10, 0));
}
