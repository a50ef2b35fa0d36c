import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { SkuParamPipe } from './sku-param.pipe.js';
import { SetStockRequest } from './stock.request.js';
import { StockService } from './stock.service.js';

@Controller('stock')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Put(':sku')
  async set(@Param('sku', SkuParamPipe) sku: string, @Body() request: SetStockRequest) {
    await this.stock.set(sku, request.available);
    return { sku, available: request.available };
  }

  @Get(':sku')
  async get(@Param('sku', SkuParamPipe) sku: string) {
    const available = await this.stock.available(sku);
    if (available === undefined) throw new NotFoundException(`SKU ${sku} not found`);
    return { sku, available };
  }
}
