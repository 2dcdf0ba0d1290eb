/** Password hashing. The mistake: PBKDF2 runs synchronously on the caller's thread. */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { settings } from './startup';

interface StoredUser {
  salt: Buffer;
  hash: Buffer;
}

/** Derives a password hash. ~50-100 ms of CPU at 100,000 iterations. */
export function hashPassword(password: string, salt: Buffer): Buffer {
  return pbkdf2Sync(password, salt, settings.pbkdf2Iterations, 64, 'sha512');
}

/** The demo's one account (alice / wonderland), hashed once at startup: fine there. */
const demoSalt = randomBytes(16);
export const users = new Map<string, StoredUser>([
  ['alice', { salt: demoSalt, hash: hashPassword('wonderland', demoSalt) }],
]);

export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
