import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import type { LagReport } from '../lag/stream-lag.interface.js';
import { StreamLagService } from '../lag/stream-lag.service.js';
import { isRedisReplyError } from '../redis/redis.errors.js';

@Controller('streams')
export class StreamLagController {
  constructor(private readonly lag: StreamLagService) {}

  @Get('lag')
  async report(): Promise<LagReport> {
    try {
      return await this.lag.report();
    } catch (error) {
      if (isRedisReplyError(error)) throw error;
      throw new ServiceUnavailableException(`Redis unavailable: ${(error as Error).message}`);
    }
  }
}
