// Staff passwords: scrypt with a random salt per password, stored with its cost so the cost can
// be raised later without breaking old hashes; compared in constant time.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_RULE } from './contract/inputs.ts';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** N=2^15, r=8, p=1: about 32 MiB and 50-100 ms a hash, OWASP's scrypt floor. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...COST, maxmem: MAX_MEMORY });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** false for a wrong password and for a hash this code cannot read; never throws on either. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (!expected.length) return false;
  const actual = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: 256 * N * r + MAX_MEMORY });
  return timingSafeEqual(actual, expected);
}

/** A hash no password matches, checked when the username is unknown so timing does not tell. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 115 bits. */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length * 2);
  let result = '';
  // Rejection sampling keeps every character equally likely.
  for (const byte of bytes) {
    if (byte >= 256 - (256 % alphabet.length)) continue;
    result += alphabet[byte % alphabet.length];
    if (result.length === length) return result;
  }
  return result + generatePassword(length - result.length);
}

/** The least length of any password set from now on (create, setPassword, change, first run). */
export const PASSWORD_MIN_LENGTH = PASSWORD_RULE.min;

/**
 * Passwords at the top of every leaked-password list (and gym-flavoured ones) that are 10
 * characters or longer, so the length rule alone does not stop them. Compared lower-cased.
 */
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '0123456789',
  '12345678910',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'qwerty1234',
  'qwerty12345',
  'asdfghjkl;',
  'asdfghjkl1',
  'zxcvbnm123',
  'password12',
  'password123',
  'password1234',
  'password!!',
  'passw0rd12',
  'p@ssw0rd12',
  'iloveyou12',
  'abcd123456',
  'abc1234567',
  'a123456789',
  'qwer1234!!',
  'admin12345',
  'admin123456',
  'administrator',
  'letmein123',
  'welcome123',
  'changeme123',
  'gym1234567',
  'fitness123',
  'pilates123',
  'passconsole',
  'pass-console',
  '1111111111',
  '0000000000',
  'aaaaaaaaaa',
]);

/**
 * Which minimum rule a new password breaks, in both languages, or null when it keeps them all:
 * at least PASSWORD_MIN_LENGTH characters, not the username, not a common password.
 */
export function passwordProblem(password: string, username: string): { ko: string; en: string } | null {
  const text = password.normalize('NFC');
  if ([...text].length < PASSWORD_MIN_LENGTH) {
    return { ko: `비밀번호는 ${PASSWORD_MIN_LENGTH}자 이상이어야 합니다.`, en: `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.` };
  }
  const lower = text.toLowerCase();
  if (lower === username.toLowerCase()) {
    return { ko: '비밀번호가 아이디와 같으면 안 됩니다.', en: 'The password must not be the username.' };
  }
  if (COMMON_PASSWORDS.has(lower)) {
    return { ko: '너무 흔한 비밀번호입니다. 다른 비밀번호를 고르세요.', en: 'That is a common password; choose another.' };
  }
  return null;
}
