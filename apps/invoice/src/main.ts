import { bootstrapService } from '@app/contracts';
import { InvoiceModule } from './invoice.module.js';

await bootstrapService(InvoiceModule, 3002);
