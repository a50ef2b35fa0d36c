import type { Type } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';
import { DeadLetterController } from './dead-letter.controller.js';
import { GroupAdminController } from './group-admin.controller.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { StreamLagController } from './stream-lag.controller.js';

/**
 * The endpoint groups `EventBusHttpModule` can serve, each with its controllers: a new endpoint
 * is one line here, and becomes an option of the module (on by default) by that line alone.
 */
export const EVENTBUS_ENDPOINTS = {
  /** `GET /health` */
  health: [HealthController],
  /** `GET /streams/lag` */
  lag: [StreamLagController],
  /** `GET /streams/dashboard`, a live page for people */
  dashboard: [DashboardController],
  /** `GET /metrics` */
  metrics: [MetricsController],
  /** `/admin/dead-letters/...` and `/admin/groups/...`, behind the bearer token */
  admin: [DeadLetterController, GroupAdminController],
} satisfies Record<string, Type[]>;

/** Which endpoint groups to serve; each is on unless set to `false`. */
export type EventBusEndpoints = { [endpoint in keyof typeof EVENTBUS_ENDPOINTS]: boolean };

export const ALL_ENDPOINTS = Object.fromEntries(
  Object.keys(EVENTBUS_ENDPOINTS).map((endpoint) => [endpoint, true]),
) as EventBusEndpoints;

export function endpointControllers(chosen: EventBusEndpoints): Type[] {
  return Object.entries(EVENTBUS_ENDPOINTS).flatMap(([endpoint, controllers]): Type[] =>
    chosen[endpoint as keyof EventBusEndpoints] ? controllers : [],
  );
}
