import { bootstrapService } from '@app/service-kit';
import { CheckoutModule } from './checkout.module.js';

await bootstrapService(CheckoutModule, 3000);
