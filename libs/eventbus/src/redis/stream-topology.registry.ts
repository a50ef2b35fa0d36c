import { Inject, Injectable } from '@nestjs/common';
import { EVENTBUS_CONFIG } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';

/** Every stream and group this app knows of: the declared topology plus what its handlers read. */
@Injectable()
export class StreamTopologyRegistry {
  private readonly groups = new Map<string, Set<string>>();

  constructor(@Inject(EVENTBUS_CONFIG) config: EventBusConfig) {
    for (const { stream, groups } of config.topology) for (const group of groups) this.add(stream, group);
  }

  add(stream: string, group: string): void {
    const groups = this.groups.get(stream) ?? new Set<string>();
    groups.add(group);
    this.groups.set(stream, groups);
  }

  has(stream: string, group: string): boolean {
    return this.groups.get(stream)?.has(group) ?? false;
  }

  entries(): [stream: string, groups: string[]][] {
    return [...this.groups].map(([stream, groups]) => [stream, [...groups]]);
  }
}
