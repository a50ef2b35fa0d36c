import { bootstrapService } from '@app/contracts';
import { StockModule } from './stock.module.js';

await bootstrapService(StockModule, 3001);
