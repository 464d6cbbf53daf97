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
  // pg reads a user with no host before the path (`postgres://user:pass@/db?host=/cloudsql/…`, a
  // Unix socket named in the query) as its own parser does: with a placeholder host. A URL has none.
  const url = env.DATABASE_URL.replace('@/', '@socket/');
  assertConnectionUrl('DATABASE_URL', url, 'postgres://user:pass@host:5432/db');
  return { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
});
