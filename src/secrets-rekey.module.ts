import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { databaseConfig, secretsConfig } from './config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { SecretsRekeyModule } from './installations/secrets-rekey.module.js';

/** What `npm run secrets:rekey` builds: the configuration it reads, Postgres, and the re-encryption. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [databaseConfig, secretsConfig] }),
    DatabaseModule,
    SecretsRekeyModule,
  ],
})
export class SecretsRekeyCommandModule {}
