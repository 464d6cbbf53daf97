import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/** A configuration problem, reported at boot as one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type EnvClass<T> = new () => T;

/**
 * Reads the variables a namespace class declares from the environment, applies its defaults and
 * validates them. Property names are the env var names, so the first error names the variable.
 * Empty strings count as unset, the way shells and .env files leave them.
 */
export function validateEnv<T extends object>(cls: EnvClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const plain: Record<string, string> = {};
  for (const key of Object.keys(new cls())) {
    const value = env[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = first.constraints ?? {};
    // A value of the wrong type (PORT=abc becomes NaN) also fails every range check: say what is
    // wrong with it (an integer expected), not that it is too large.
    const reason =
      first.value === undefined
        ? (constraints.isString ?? constraints.isDefined ?? `${first.property} is required`)
        : (constraints.isInt ?? Object.values(constraints)[0] ?? 'is invalid');
    throw new ConfigError(
      `Invalid configuration: ${first.property} ${reason.replace(new RegExp(`^${first.property}\\s*`), '')}`,
    );
  }
  return instance;
}

export function appEnv(env: NodeJS.ProcessEnv = process.env): 'development' | 'test' | 'production' {
  const value = env.APP_ENV || 'development';
  if (value !== 'development' && value !== 'test' && value !== 'production') {
    throw new ConfigError('Invalid configuration: APP_ENV must be one of development, test, production');
  }
  return value;
}

/** Production refuses to boot without the variables that keep it safe and durable. */
export function requireInProduction(name: string, value: unknown, env: NodeJS.ProcessEnv = process.env): void {
  if ((value === undefined || value === '') && appEnv(env) === 'production') {
    throw new ConfigError(`Invalid configuration: ${name} is required when APP_ENV=production`);
  }
}

/**
 * A connection URL must parse before anything is built from it: `new URL` throws an error that
 * carries the whole input (password included), which Nest's boot logger would print, and a
 * password with a stray `%` throws from decodeURIComponent deep in a driver. Names the variable,
 * never the value.
 */
export function assertConnectionUrl(name: string, value: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(value);
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw new ConfigError(
      `Invalid configuration: ${name} is not a valid URL (${example}; percent-encode special characters in the user name and password)`,
    );
  }
  return url;
}
