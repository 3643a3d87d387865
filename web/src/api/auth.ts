import type { Static } from 'typebox';
import type { LoginRequest, OtpAccepted, OtpPurpose, RegisterRequest, ResetPasswordRequest, StaffLoginRequest, Tokens } from '@telehall/contracts';
import { staffApi, subscriberApi, type ApiClient } from './client';

/** Subscriber and staff sign-in. Login calls never send a token and never trigger a refresh. */

export function requestOtp(phone: string, purpose: OtpPurpose): Promise<Static<typeof OtpAccepted>> {
  return subscriberApi.post('/api/auth/otp', { phone, purpose }, { auth: false });
}

export async function register(body: RegisterRequest): Promise<Tokens> {
  const tokens = await subscriberApi.post<Tokens>('/api/auth/register', body, { auth: false });
  subscriberApi.tokens.set(tokens);
  return tokens;
}

export async function login(body: LoginRequest): Promise<Tokens> {
  const tokens = await subscriberApi.post<Tokens>('/api/auth/login', body, { auth: false });
  subscriberApi.tokens.set(tokens);
  return tokens;
}

export function resetPassword(body: Static<typeof ResetPasswordRequest>): Promise<void> {
  return subscriberApi.post('/api/auth/password/reset', body, { auth: false });
}

export async function staffLogin(body: Static<typeof StaffLoginRequest>): Promise<Tokens> {
  const tokens = await staffApi.post<Tokens>('/api/auth/staff/login', body, { auth: false });
  staffApi.tokens.set(tokens);
  return tokens;
}

/** Revokes the session server-side (best effort) and forgets the tokens locally either way. */
async function logoutWith(api: ApiClient): Promise<void> {
  try {
    if (api.tokens.get()) await api.post('/api/auth/logout');
  } catch {
    // The local sign-out below is what matters to the user; an expired session is already gone.
  } finally {
    api.tokens.set(null);
  }
}

export const logout = () => logoutWith(subscriberApi);
export const staffLogout = () => logoutWith(staffApi);
