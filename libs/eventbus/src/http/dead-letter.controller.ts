import { BadRequestException, Controller, Delete, Get, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { DeadLetter } from '../dead-letter/dead-letter.interface.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { PageSizePipe } from './page-size.pipe.js';

const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

function entryId(id: string): string {
  if (!ENTRY_ID.test(id)) throw new BadRequestException(`"${id}" is not a stream entry id (<ms>-<seq>)`);
  return id;
}

/**
 * `/admin/dead-letters/:stream/:group[/:id]`: list, redrive, delete. Stream keys go URL-encoded
 * (`events%3A%7Borders%7D` for `events:{orders}`).
 */
@Controller('admin/dead-letters/:stream/:group')
@UseGuards(AdminTokenGuard)
export class DeadLetterController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  async list(
    @Param('stream') stream: string,
    @Param('group') group: string,
    @Query('count', PageSizePipe) count: number,
    @Query('after') after?: string,
  ): Promise<{ deadLetters: DeadLetter[] }> {
    return { deadLetters: await this.deadLetters.list(stream, group, count, after ? entryId(after) : '-') };
  }

  @Post('redrive')
  async redriveAll(@Param('stream') stream: string, @Param('group') group: string) {
    return { redriven: await this.deadLetters.redrive(stream, group) };
  }

  @Post(':id/redrive')
  async redriveOne(@Param('stream') stream: string, @Param('group') group: string, @Param('id') id: string) {
    const redriven = await this.deadLetters.redrive(stream, group, entryId(id));
    if (redriven === 0) throw new NotFoundException(`No dead letter ${id}`);
    return { redriven };
  }

  @Delete()
  async removeAll(@Param('stream') stream: string, @Param('group') group: string) {
    return { deleted: await this.deadLetters.remove(stream, group) };
  }

  @Delete(':id')
  async removeOne(@Param('stream') stream: string, @Param('group') group: string, @Param('id') id: string) {
    const deleted = await this.deadLetters.remove(stream, group, entryId(id));
    if (deleted === 0) throw new NotFoundException(`No dead letter ${id}`);
    return { deleted };
  }
}
