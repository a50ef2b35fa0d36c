import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { HELLO } from '@app/contracts';

@Injectable()
class S { v() { return HELLO; } }

@Controller()
class C { constructor(private readonly s: S) {} @Get('/x') x() { return { h: this.s.v() }; } }

@Module({ controllers: [C], providers: [S] })
export class CheckoutModule {}
