import path from 'node:path';

/** Everything Telehall reads from the environment, parsed once at boot. */
export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** External PostgreSQL; when absent an embedded server runs under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly embeddedPgPort: number;
  readonly seed: 'demo' | 'none';
  readonly adminPassword: string | undefined;
  /** HMAC key for access tokens; from the environment or generated into dataDir. */
  readonly jwtSecret: string | undefined;
  /** HMAC key the sandbox payment gateway signs callbacks with; from the environment or generated into dataDir. */
  readonly sandboxPaySecret: string | undefined;
  /** Serve the sandbox gateway's confirm page (test mode: anyone can "pay"); off by default in production. */
  readonly sandboxGateway: boolean;
  readonly redisUrl: string | undefined;
  readonly natsUrl: string | undefined;
  readonly logLevel: string;
  readonly accessTokenTtlS: number;
  readonly refreshTokenTtlS: number;
  readonly bodyLimitBytes: number;
  readonly webDist: string;
  /** SMTP for e-mail notifications (smtp:// or smtps://); without it e-mail goes to the message log only. */
  readonly smtpUrl: string | undefined;
  readonly smtpFrom: string;
  /** Web Push VAPID keys; generated into dataDir when not given. */
  readonly vapid: { publicKey: string; privateKey: string } | undefined;
  readonly vapidSubject: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Parse the environment; throws ConfigError listing every bad value at once. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];

  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const oneOf = <T extends string>(name: string, def: T, allowed: readonly T[]): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name}=${JSON.stringify(raw)} must be one of: ${allowed.join(', ')}`);
      return def;
    }
    return raw as T;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
  };

  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);

  const adminPassword = env.TELEHALL_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 10) {
    problems.push('TELEHALL_ADMIN_PASSWORD must be at least 10 characters');
  }

  const jwtSecret = env.TELEHALL_JWT_SECRET || undefined;
  if (jwtSecret !== undefined && Buffer.from(jwtSecret, 'utf8').length < 32) {
    problems.push('TELEHALL_JWT_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)');
  }
  if (databaseUrl && !jwtSecret) {
    problems.push(
      'TELEHALL_JWT_SECRET is required when DATABASE_URL is set (replicas must share it); generate one with `openssl rand -base64 48`',
    );
  }

  const sandboxPaySecret = env.TELEHALL_SANDBOX_PAY_SECRET || undefined;
  if (sandboxPaySecret !== undefined && Buffer.from(sandboxPaySecret, 'utf8').length < 32) {
    problems.push('TELEHALL_SANDBOX_PAY_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)');
  }
  if (databaseUrl && !sandboxPaySecret) {
    problems.push('TELEHALL_SANDBOX_PAY_SECRET is required when DATABASE_URL is set (replicas must share it); generate one with `openssl rand -base64 48`');
  }
  const vapidPublic = env.TELEHALL_VAPID_PUBLIC_KEY || undefined;
  const vapidPrivate = env.TELEHALL_VAPID_PRIVATE_KEY || undefined;
  if (!!vapidPublic !== !!vapidPrivate) problems.push('TELEHALL_VAPID_PUBLIC_KEY and TELEHALL_VAPID_PRIVATE_KEY must be set together');

  const cfg: Config = {
    env: nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(cwd, env.DATA_DIR || 'data'),
    databaseUrl,
    embeddedPgPort: int('TELEHALL_PG_PORT', 54329, 1024, 65535),
    seed: oneOf('TELEHALL_SEED', 'demo', ['demo', 'none'] as const),
    adminPassword,
    jwtSecret,
    sandboxPaySecret,
    sandboxGateway: oneOf('TELEHALL_SANDBOX_GATEWAY', nodeEnv === 'production' ? 'off' : 'on', ['on', 'off'] as const) === 'on',
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    natsUrl: url('NATS_URL', ['nats:', 'tls:']),
    logLevel: oneOf('LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info', [
      'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent',
    ] as const),
    accessTokenTtlS: int('TELEHALL_ACCESS_TTL_S', 900, 30, 86400),
    refreshTokenTtlS: int('TELEHALL_REFRESH_TTL_S', 30 * 86400, 300, 365 * 86400),
    bodyLimitBytes: int('TELEHALL_BODY_LIMIT', 1024 * 1024, 1024, 256 * 1024 * 1024),
    webDist: path.resolve(cwd, env.TELEHALL_WEB_DIST || 'web/dist'),
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
    smtpFrom: env.SMTP_FROM || 'Telehall <no-reply@telehall.localhost>',
    vapid: vapidPublic && vapidPrivate ? { publicKey: vapidPublic, privateKey: vapidPrivate } : undefined,
    vapidSubject: env.TELEHALL_VAPID_SUBJECT || 'mailto:admin@telehall.localhost',
  };
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(cfg);
}
