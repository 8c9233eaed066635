/**
 * TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1: what authenticator apps read from an otpauth://
 * address) by otplib. A code is accepted one step either side of now, and never twice: the step it
 * matched is stored, and codes of that step or earlier are refused.
 */
import { generateSecret, generateURI, verifySync } from 'otplib';

export const TOTP_ISSUER = '联动平台';

export const newTotpSecret = (): string => generateSecret();

export const totpUrl = (secret: string, username: string, deskName: string): string =>
  generateURI({ issuer: TOTP_ISSUER, label: `${deskName}:${username}`, secret });

/** The time step the code matched, or null (wrong, out of the window, or not after `lastStep`). */
export function matchTotp(secret: string, code: string, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const r = verifySync({
    secret,
    token: code,
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}
