import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { ADMIN_TOKEN_RECOMMENDED_LENGTH } from '../config/eventbus.env.js';
import type { Request } from 'express';
import { EVENTBUS_CONFIG } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `Bearer <token68>` (RFC 6750): the scheme in any case (RFC 9110: schemes are case-insensitive),
 * one token, nothing after it.
 */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Admin endpoints need `Authorization: Bearer <adminToken>`. With no token configured they refuse
 * every call. Digests are compared in constant time, so the answer's timing says nothing about
 * how much of a guess was right.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(EVENTBUS_CONFIG) config: EventBusConfig) {
    this.expected = config.adminToken ? digest(config.adminToken) : undefined;
    if (config.adminToken && config.adminToken.length < ADMIN_TOKEN_RECOMMENDED_LENGTH) {
      new Logger('EventBus').warn(`The admin token is shorter than ${ADMIN_TOKEN_RECOMMENDED_LENGTH} characters: easy to guess`);
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new ForbiddenException('Admin endpoints are disabled: no admin token is configured');
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = BEARER.exec(header)?.[1];
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('A valid admin bearer token is required');
    }
    return true;
  }
}
