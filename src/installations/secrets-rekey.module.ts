import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Installation } from './installation.entity.js';
import { SecretsRekeyService } from './secrets-rekey.service.js';

/** Re-encryption of the stored webhook secrets (npm run secrets:rekey); nothing a running process needs. */
@Module({
  imports: [TypeOrmModule.forFeature([Installation])],
  providers: [SecretsRekeyService],
  exports: [SecretsRekeyService],
})
export class SecretsRekeyModule {}
