import { bootstrapService } from '@app/service-kit';
import { StockModule } from './stock.module.js';

await bootstrapService(StockModule, 3001);
