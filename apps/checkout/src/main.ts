import { NestFactory } from '@nestjs/core';
import { CheckoutModule } from './checkout.module.js';

const app = await NestFactory.create(CheckoutModule);
await app.listen(Number(process.env.PORT ?? 3000));
