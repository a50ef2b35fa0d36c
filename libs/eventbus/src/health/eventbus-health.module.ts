import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventBusHealthIndicator } from './eventbus.health.js';

/**
 * The bus's health indicator alone, for an app that serves its own `/health` (needs
 * `EventBusModule.forRoot` in the same app).
 */
@Module({
  imports: [TerminusModule],
  providers: [EventBusHealthIndicator],
  exports: [EventBusHealthIndicator],
})
export class EventBusHealthModule {}
