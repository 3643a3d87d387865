import { Type, type Static } from 'typebox';
import { Locale, Password, Phone, Uuid } from './common.js';

export const OtpPurpose = Type.Union([Type.Literal('register'), Type.Literal('login'), Type.Literal('reset')]);
export type OtpPurpose = Static<typeof OtpPurpose>;
export const OtpCode = Type.String({ pattern: '^[0-9]{6}$' });

export const OtpRequest = Type.Object({ phone: Phone, purpose: OtpPurpose }, { additionalProperties: false });
export const OtpAccepted = Type.Object({ expiresInSeconds: Type.Integer(), resendInSeconds: Type.Integer() });

export const RegisterRequest = Type.Object(
  { phone: Phone, otp: OtpCode, password: Password, name: Type.Optional(Type.String({ maxLength: 60 })) },
  { additionalProperties: false },
);
export type RegisterRequest = Static<typeof RegisterRequest>;

export const LoginRequest = Type.Union([
  Type.Object({ phone: Phone, password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
  Type.Object({ phone: Phone, otp: OtpCode }, { additionalProperties: false }),
]);
export type LoginRequest = Static<typeof LoginRequest>;

export const StaffLoginRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 32 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const RefreshRequest = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) }, { additionalProperties: false });

export const Tokens = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  sessionId: Uuid,
});
export type Tokens = Static<typeof Tokens>;

export const ResetPasswordRequest = Type.Object(
  { phone: Phone, otp: OtpCode, newPassword: Password },
  { additionalProperties: false },
);
export const ChangePasswordRequest = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
  { additionalProperties: false },
);

export const Profile = Type.Object({
  id: Uuid,
  phone: Phone,
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  locale: Locale,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Profile = Static<typeof Profile>;

export const ProfilePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProfilePatch = Static<typeof ProfilePatch>;

export const Session = Type.Object({
  id: Uuid,
  userAgent: Type.String(),
  ip: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  current: Type.Boolean(),
});
export type Session = Static<typeof Session>;

// staff -------------------------------------------------------------------
export const Role = Type.Union([Type.Literal('admin'), Type.Literal('agent'), Type.Literal('marketer'), Type.Literal('analyst')]);
export type Role = Static<typeof Role>;
export const Username = Type.String({ pattern: '^[a-z0-9._-]{3,32}$' });

export const StaffUser = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type StaffUser = Static<typeof StaffUser>;

export const StaffMe = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  permissions: Type.Array(Type.String()),
});
export type StaffMe = Static<typeof StaffMe>;

export const CreateStaffUser = Type.Object(
  { username: Username, displayName: Type.String({ minLength: 1, maxLength: 60 }), role: Role, password: Password },
  { additionalProperties: false },
);
export type CreateStaffUser = Static<typeof CreateStaffUser>;
export const UpdateStaffUser = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    role: Type.Optional(Role),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateStaffUser = Static<typeof UpdateStaffUser>;

export const RoleInfo = Type.Object({ role: Role, permissions: Type.Array(Type.String()) });
