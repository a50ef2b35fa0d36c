// The lag table of `npm run lag`, also printed by `npm run demo`.
import { count, drain, duration, rate, statusText, table } from './format.mjs';

function consumersCell(group) {
  const names = Array.isArray(group.consumerDetails) ? group.consumerDetails.map((c) => c.name) : [];
  const list = names.join(',');
  return names.length
    ? `${count(group.consumers)} (${list.length > 40 ? `${list.slice(0, 39)}…` : list})`
    : count(group.consumers);
}

/** One row per stream and group of a `/streams/lag` report. */
export function lagTable(report, colors) {
  const rows = report.streams.flatMap((stream) =>
    stream.groups.map((group) => [
      stream.stream,
      group.group,
      count(stream.length),
      colors.bold(count(group.lag)),
      count(group.pending),
      duration(group.timeLagMs),
      rate(group.rateOut),
      drain(group.drainSeconds),
      count(group.deadLetters),
      statusText(group.status, colors),
      consumersCell(group),
    ]),
  );
  const header = ['STREAM', 'GROUP', 'LENGTH', 'LAG', 'PENDING', 'TIME-LAG', 'RATE-OUT', 'DRAIN', 'DEAD', 'STATUS', 'CONSUMERS'];
  return table(
    header.map((h) => colors.dim(h)),
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
  );
}
