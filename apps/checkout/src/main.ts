import { bootstrapService } from '@app/contracts';
import { CheckoutModule } from './checkout.module.js';

await bootstrapService(CheckoutModule, 3000);
