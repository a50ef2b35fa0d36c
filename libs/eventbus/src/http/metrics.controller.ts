import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EventBusMetrics } from '../metrics/eventbus.metrics.js';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: EventBusMetrics) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    const { registry } = this.metrics;
    response.type(registry.contentType).send(await registry.metrics());
  }
}
