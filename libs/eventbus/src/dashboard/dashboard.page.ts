import { createHash } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './dashboard.script.js';
import { DASHBOARD_STYLE } from './dashboard.style.js';

/** The CSP source that allows exactly this inline block and nothing else. */
const hashSource = (inline: string) => `'sha256-${createHash('sha256').update(inline, 'utf8').digest('base64')}'`;

/**
 * `GET /streams/dashboard`: one self-contained page. Its data arrives by polling `/streams/lag`, so
 * the page itself is the same for everyone and holds nothing from Redis.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Event bus · stream lag</title>
<style>${DASHBOARD_STYLE}</style>
</head>
<body>
<header><h1>Event bus · stream lag</h1><span class="summary" id="summary">loading…</span><span class="updated" id="updated"></span></header>
<div id="banner" role="alert"></div>
<main id="streams"><div class="empty" id="empty">Waiting for the first answer of streams/lag…</div></main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;

/**
 * Only this page's own inline style and script run, and the only request it may make is to its own
 * origin (the lag endpoint): nothing from the internet, no frames, no forms.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${hashSource(DASHBOARD_SCRIPT)}`,
  `style-src ${hashSource(DASHBOARD_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
