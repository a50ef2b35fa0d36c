import { bootstrapService } from '@app/service-kit';
import { InvoiceModule } from './invoice.module.js';

await bootstrapService(InvoiceModule, 3002);
