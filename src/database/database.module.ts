import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../ormconfig.js';
import { databaseConfig } from '../config/index.js';
import { runMigrationsLocked } from './run-migrations.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(db.url, db.poolSize),
        retryAttempts: 5,
        retryDelay: 2000,
      }),
      dataSourceFactory: async (options) => {
        try {
          const dataSource = await new DataSource(options!).initialize();
          await runMigrationsLocked(dataSource);
          return dataSource;
        } catch (error) {
          // The boot's last line (main.ts) prints this message alone: say which server it is about.
          throw new Error(`Postgres (DATABASE_URL): ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
        }
      },
    }),
  ],
})
export class DatabaseModule {}
