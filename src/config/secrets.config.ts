import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { ConfigError, requireInProduction, validateEnv } from './validate-env.js';

class SecretsEnv {
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]+={0,2}$/, { message: 'SECRETS_KEY must be 32 bytes in base64 (openssl rand -base64 32)' })
  SECRETS_KEY?: string = undefined;

  /** How long the previous webhook secret keeps verifying after a rotation. */
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  SECRET_ROTATION_GRACE_SECONDS: number = 3600;
}

export const secretsConfig = registerAs('secrets', () => {
  const env = validateEnv(SecretsEnv);
  requireInProduction('SECRETS_KEY', env.SECRETS_KEY);
  let key: Buffer;
  let ephemeral = false;
  if (env.SECRETS_KEY) {
    key = Buffer.from(env.SECRETS_KEY, 'base64');
    if (key.length !== 32) {
      throw new ConfigError('Invalid configuration: SECRETS_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
    }
  } else {
    // Outside production only: secrets encrypted under this key do not survive a restart.
    key = randomBytes(32);
    ephemeral = true;
  }
  return { key, ephemeral, rotationGraceSeconds: env.SECRET_ROTATION_GRACE_SECONDS };
});
