import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { GroupPositionRefusedError } from '../errors/group-position-refused.error.js';
import { InvalidGroupPositionError } from '../errors/invalid-group-position.error.js';
import { UnknownStreamGroupError } from '../errors/unknown-stream-group.error.js';
import { ConsumerGroupAdmin, type GroupMoved, type PendingEntry } from '../groups/consumer-group.admin.js';
import { AdminTokenGuard } from './admin-token.guard.js';

const COUNT = /^\d{1,4}$/;
const CONSUMER = /^[A-Za-z0-9._:-]{1,100}$/;

/** The group admin's own errors as HTTP answers; anything else (Redis away) goes to the app's filters. */
function answer(error: unknown): never {
  if (error instanceof UnknownStreamGroupError) throw new NotFoundException(error.message);
  if (error instanceof InvalidGroupPositionError) throw new BadRequestException(error.message);
  if (error instanceof GroupPositionRefusedError) throw new ConflictException(error.message);
  throw error;
}

/**
 * `/admin/groups/:stream/:group`: move a group (replay or skip) and list its pending entries.
 * Stream keys go URL-encoded (`events%3A%7Borders%7D` for `events:{orders}`).
 */
@Controller('admin/groups/:stream/:group')
@UseGuards(AdminTokenGuard)
export class GroupAdminController {
  constructor(private readonly groups: ConsumerGroupAdmin) {}

  /** `{ "to": "<entry id>" | "0" | "$" | "<ISO-8601 time>" }` */
  @Post('position')
  @HttpCode(200)
  async move(
    @Param('stream') stream: string,
    @Param('group') group: string,
    @Body() body: { to?: unknown } | undefined,
  ): Promise<GroupMoved> {
    return this.groups.move(stream, group, body?.to).catch(answer);
  }

  @Get('pending')
  async pending(
    @Param('stream') stream: string,
    @Param('group') group: string,
    @Query('count') count = '100',
    @Query('consumer') consumer?: string,
  ): Promise<{ pending: PendingEntry[] }> {
    const page = COUNT.test(count) ? Number(count) : 0;
    if (page < 1 || page > 1_000) throw new BadRequestException(`count must be an integer from 1 to 1000, got "${count}"`);
    if (consumer !== undefined && !CONSUMER.test(consumer)) {
      throw new BadRequestException('consumer must be 1-100 characters of [A-Za-z0-9._:-]');
    }
    return { pending: await this.groups.pending(stream, group, page, consumer).catch(answer) };
  }
}
