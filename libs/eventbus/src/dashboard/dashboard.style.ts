/** The dashboard's stylesheet, inlined in the page (its hash is in the Content-Security-Policy). */
export const DASHBOARD_STYLE = `
:root { --ok: #1a7f37; --warn: #b07800; --bad: #cf222e; --none: #8c959f; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #f6f8fa; }
header { display: flex; align-items: baseline; gap: 16px; padding: 12px 20px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; }
header .summary { color: var(--muted); }
header .updated { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
#banner { display: none; padding: 10px 20px; background: var(--bad); color: #fff; font-weight: 600; }
body.offline #banner { display: block; }
body.offline main { opacity: 0.45; }
main { padding: 16px 20px; display: grid; gap: 16px; }
.stream { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.stream h2 { margin: 0; padding: 10px 14px; font-size: 15px; display: flex; gap: 18px; align-items: baseline; border-bottom: 1px solid var(--line); }
.stream h2 .name { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.stream h2 .facts { font-weight: 400; color: var(--muted); font-size: 13px; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
/* The same column widths in every stream's table, so the eye can run down one column. */
th:nth-child(1) { width: 84px; } th:nth-child(2) { width: 140px; } th:nth-child(3), th:nth-child(4), th:nth-child(6), th:nth-child(7) { width: 84px; }
th:nth-child(5) { width: 96px; } th:nth-child(8) { width: 96px; } th:nth-child(10) { width: 280px; }
td { overflow-wrap: anywhere; }
th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 8px 10px; border-bottom: 1px solid #eaeef2; vertical-align: middle; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; }
td.group { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
td.big { font-size: 18px; font-weight: 600; }
.status { display: inline-block; min-width: 54px; text-align: center; padding: 2px 8px; border-radius: 12px; color: #fff; font-weight: 700; font-size: 12px; background: var(--none); }
.status.OK { background: var(--ok); }
.status.WARN { background: var(--warn); }
.status.STALL, .status.STOP { background: var(--bad); }
tr.STALL td.big, tr.STOP td.big { color: var(--bad); }
tr.WARN td.big { color: var(--warn); }
.consumers { font-size: 12px; color: var(--muted); }
.consumers b { color: #1f2328; }
.detail { display: block; font-size: 12px; color: var(--muted); font-weight: 400; }
svg.chart { display: block; }
svg.chart .area { fill: #0969da22; }
svg.chart .line { fill: none; stroke: #0969da; stroke-width: 1.5; }
svg.chart .axis { stroke: var(--line); }
svg.chart text { font-size: 10px; fill: var(--muted); }
.empty { padding: 40px; text-align: center; color: var(--muted); }
`;
