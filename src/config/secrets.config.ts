import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { ConfigError, requireInProduction, validateEnv } from './validate-env.js';

const KEY_FORMAT = 'must be 32 bytes in base64 (openssl rand -base64 32)';
/** Base64, standard or URL-safe alphabet. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

class SecretsEnv {
  @IsOptional()
  @Matches(BASE64, { message: `SECRETS_KEY ${KEY_FORMAT}` })
  SECRETS_KEY?: string = undefined;

  /** Keys that still open stored values (never used to encrypt): one, or several separated by commas. */
  @IsOptional()
  @IsString()
  SECRETS_KEY_PREVIOUS?: string = undefined;

  /** How long the previous webhook secret keeps verifying after a rotation. */
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  SECRET_ROTATION_GRACE_SECONDS: number = 3600;
}

/** A 32-byte key from its base64, or a one-line error naming the variable (never the value). */
function parseKey(value: string, message: string): Buffer {
  const key = BASE64.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new ConfigError(`Invalid configuration: ${message}`);
  return key;
}

export const secretsConfig = registerAs('secrets', () => {
  const env = validateEnv(SecretsEnv);
  requireInProduction('SECRETS_KEY', env.SECRETS_KEY);
  let key: Buffer;
  let ephemeral = false;
  if (env.SECRETS_KEY) {
    key = parseKey(env.SECRETS_KEY, `SECRETS_KEY ${KEY_FORMAT}`);
  } else {
    // Outside production only: secrets encrypted under this key do not survive a restart.
    key = randomBytes(32);
    ephemeral = true;
  }
  const previous = (env.SECRETS_KEY_PREVIOUS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (previous.length > 0 && ephemeral)
    throw new ConfigError('Invalid configuration: SECRETS_KEY_PREVIOUS needs SECRETS_KEY (the key values move to)');
  const previousKeys = previous.map((value) =>
    parseKey(value, 'SECRETS_KEY_PREVIOUS must be one or more keys of 32 bytes in base64, separated by commas'),
  );
  return { key, previousKeys, ephemeral, rotationGraceSeconds: env.SECRET_ROTATION_GRACE_SECONDS };
});
