import { bootstrapService } from '@app/service-kit';
import { DistributionModule } from './distribution.module.js';

await bootstrapService(DistributionModule, 3003);
