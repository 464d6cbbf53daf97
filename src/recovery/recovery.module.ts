import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { InstallationsModule } from '../installations/installations.module.js';
import { DeliveryRecoveryService } from './delivery-recovery.service.js';

@Module({
  imports: [EventsModule, InstallationsModule],
  providers: [DeliveryRecoveryService],
  exports: [DeliveryRecoveryService],
})
export class RecoveryModule {}
