import { bootstrapService } from '@app/contracts';
import { DistributionModule } from './distribution.module.js';

await bootstrapService(DistributionModule, 3003);
