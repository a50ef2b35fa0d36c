// Number, duration and table formatting shared by `npm run lag` and `npm run demo`. Node built-ins only.

export const DASH = '—';

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

export const count = (v) => (isNum(v) ? v.toLocaleString('en-US') : DASH);

export function duration(ms) {
  if (!isNum(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export const rate = (v) => (isNum(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)}/s` : DASH);

export const drain = (seconds) => (isNum(seconds) ? duration(seconds * 1000) : DASH);

/** Colours only on a terminal that wants them (https://no-color.org). */
export function palette(stream = process.stdout) {
  const on = Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const wrap = (code) => (text) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { on, bold: wrap(1), dim: wrap(2), green: wrap(32), yellow: wrap(33), red: wrap(31), cyan: wrap(36) };
}

const STATUS_COLOR = { OK: 'green', WARN: 'yellow', STALL: 'red', STOP: 'red' };

export function statusText(status, colors) {
  const color = STATUS_COLOR[status];
  return color ? colors[color](status) : DASH;
}

// eslint-disable-next-line no-control-regex
const visibleLength = (text) => text.replace(/\x1b\[[0-9;]*m/g, '').length;

/**
 * Columns padded to their widest cell; `align` per column ('l' or 'r'). Cells may hold colour
 * escapes: widths count only what is visible.
 */
export function table(header, rows, align) {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i]))));
  const line = (cells) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i] - visibleLength(cell));
        return align[i] === 'r' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
