import { registerAs } from '@nestjs/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { assertConnectionUrl, validateEnv } from './validate-env.js';

class DatabaseEnv {
  @IsString({
    message:
      'DATABASE_URL is required (postgres://user:pass@host:5432/db); `npm run local` starts a local Postgres for you',
  })
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres://' })
  DATABASE_URL: string = undefined as unknown as string;

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;
}

export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(DatabaseEnv);
  assertConnectionUrl('DATABASE_URL', env.DATABASE_URL, 'postgres://user:pass@host:5432/db');
  return { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
});
