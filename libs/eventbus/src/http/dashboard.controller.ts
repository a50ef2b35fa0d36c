import { Controller, Get, Header } from '@nestjs/common';
import { DASHBOARD_CSP, DASHBOARD_HTML } from '../dashboard/dashboard.page.js';

/** `GET /streams/dashboard`: the live lag page for people (it polls `/streams/lag` itself). */
@Controller('streams')
export class DashboardController {
  @Get('dashboard')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  page(): string {
    return DASHBOARD_HTML;
  }
}
