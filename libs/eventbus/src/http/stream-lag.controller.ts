import { Controller, Get } from '@nestjs/common';
import type { LagReport } from '../lag/stream-lag.interface.js';
import { StreamLagService } from '../lag/stream-lag.service.js';

@Controller('streams')
export class StreamLagController {
  constructor(private readonly lag: StreamLagService) {}

  /** Redis away: the app's `EventBusExceptionFilter` answers 503. */
  @Get('lag')
  report(): Promise<LagReport> {
    return this.lag.report();
  }
}
