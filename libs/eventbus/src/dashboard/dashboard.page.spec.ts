import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard.page.js';

const inline = (tag: string): string => {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(DASHBOARD_HTML);
  if (!match) throw new Error(`no <${tag}> in the page`);
  return match[1];
};
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('dashboard page', () => {
  it('allows exactly its own inline script and style by hash, and requests to its own origin only', () => {
    const directives = new Map(DASHBOARD_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe(`'sha256-${sha256(inline('script'))}'`);
    expect(directives.get('style-src')).toBe(`'sha256-${sha256(inline('style'))}'`);
    expect(directives.get('connect-src')).toBe("'self'");
  });

  it('loads nothing from elsewhere: no src or href attributes, one script and one style block', () => {
    expect(DASHBOARD_HTML).not.toMatch(/\s(src|href)\s*=/i);
    expect(DASHBOARD_HTML.match(/<script/g)).toHaveLength(1);
    expect(DASHBOARD_HTML.match(/<style/g)).toHaveLength(1);
    expect(inline('style')).not.toMatch(/@import|url\(/i);
  });

  it('ships a script that parses and never writes markup from data', () => {
    const script = inline('script');
    expect(() => new Script(script)).not.toThrow();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
