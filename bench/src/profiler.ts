import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';

/**
 * V8's sampling CPU profiler through the inspector (what `node --cpu-prof` uses), started and
 * stopped around one measured section, so each variant gets its own .cpuprofile.
 */
export class Profiler {
  private constructor(
    private readonly session: Session,
    readonly dir: string,
  ) {}

  static async create(dir: string, intervalUs = 200): Promise<Profiler> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    const absolute = resolve(dir);
    mkdirSync(absolute, { recursive: true });
    return new Profiler(session, absolute);
  }

  async around<T>(name: string, work: () => Promise<T>): Promise<T> {
    await this.session.post('Profiler.start');
    try {
      return await work();
    } finally {
      const { profile } = await this.session.post('Profiler.stop');
      const file = join(this.dir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`  profile written: ${file}`);
    }
  }

  close(): void {
    this.session.disconnect();
  }
}
