// `pnpm tour -- --html <file>`: one self-contained page (no external file, no network) drawing each
// model's connection timeline, one model under another so they compare at a glance: the sockets
// (listener, connection) and the waits are lanes, each call or notification a mark at its time; hovering
// a mark shows what the core did and what it means. Static SVG, so it reads without scripts; a few lines
// of script fill the details panel on hover.
import type { ModelReport } from './run-model.js';
import { LOOPS } from './loops.js';
import type { Lane, Step } from './story.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Marks drawn per model at most: every milestone, and the other steps thinned evenly. */
const MAX_MARKS = 2500;

const COLORS: Record<string, string> = {
  recorded: '#2b8a3e', posted: '#5f3dc4', WSAEnumNetworkEvents: '#1971c2', select: '#1971c2', accept: '#e67700',
  recv: '#0b7285', send: '#c2255c', closesocket: '#212529', 'overlapped issued': '#868e96',
  'overlapped completed': '#5c940d', 'routine run': '#9c36b5',
};
const LANES: Lane[] = ['listener', 'connection', 'wait'];
const W = 980, LEFT = 120, RIGHT = 16, LANE_H = 30, TOP = 8;

function thin(steps: Step[]): Step[] {
  const rest = steps.filter((s) => !s.milestone);
  const keepEvery = Math.max(1, Math.ceil(rest.length / Math.max(1, MAX_MARKS - (steps.length - rest.length))));
  let i = 0;
  return steps.filter((s) => s.milestone || i++ % keepEvery === 0);
}

/** Meanings are few and long: each is written once, in a table the page's script reads by index. */
class Meanings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(m: string): number {
    let i = this.index.get(m);
    if (i === undefined) { i = this.list.length; this.list.push(m); this.index.set(m, i); }
    return i;
  }
}

function timeline(r: ModelReport, meanings: Meanings): string {
  const story = r.story;
  if (!story || story.steps.length === 0) return '<p class="none">No Winsock trace: Node\'s net makes no Winsock calls.</p>';
  const steps = thin(story.steps);
  const maxT = Math.max(1, ...steps.map((s) => s.t));
  const x = (t: number) => LEFT + (t / maxT) * (W - LEFT - RIGHT);
  const y = (lane: Lane) => TOP + LANES.indexOf(lane) * LANE_H + LANE_H / 2;
  const height = TOP + LANES.length * LANE_H + 26;
  const laneName: Record<Lane, string> = {
    listener: `listener (${story.listener})`, connection: `socket ${story.socket}`, wait: 'waits',
  };
  const parts: string[] = [];
  for (const lane of LANES) {
    parts.push(`<line class="lane" x1="${LEFT}" x2="${W - RIGHT}" y1="${y(lane)}" y2="${y(lane)}"/>`,
      `<text class="lane-name" x="${LEFT - 8}" y="${y(lane) + 4}">${esc(laneName[lane])}</text>`);
  }
  for (let k = 0; k <= 4; k++) {
    const t = (maxT * k) / 4;
    parts.push(`<text class="tick" x="${x(t)}" y="${height - 6}">${(t / 1000).toFixed(1)} ms</text>`);
  }
  for (const s of steps) {
    const error = /SOCKET_ERROR|WSAE(?!WOULDBLOCK)|with WSA/.test(s.what) && !/WSA_IO_PENDING/.test(s.what);
    parts.push(`<circle class="mark${s.milestone ? ' milestone' : ''}${error ? ' error' : ''}" cx="${x(s.t).toFixed(1)}" cy="${y(s.lane)}" ` +
      `r="${s.milestone ? 5.5 : 3.5}" fill="${COLORS[s.kind] ?? '#495057'}" data-t="${s.t}" data-m="${meanings.of(s.meaning)}">` +
      `<title>${esc(`+${(s.t / 1000).toFixed(3)} ms  ${s.what}`)}</title></circle>`);
  }
  const note = steps.length < story.steps.length ? ` (${steps.length} of ${story.steps.length} steps drawn: every milestone, the rest thinned)` : '';
  return `<svg class="timeline" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" ` +
    `aria-label="${esc(`${r.model}: socket ${story.socket}'s life`)}">${parts.join('')}</svg>` +
    `<p class="caption">socket ${story.socket}: accepted on ${story.listener}, ${story.steps.length} steps over ${(maxT / 1000).toFixed(1)} ms${esc(note)}</p>`;
}

export function renderHtml(reports: ModelReport[]): string {
  const meanings = new Meanings();
  const sections = reports.map((r) => `
<section class="model" data-model="${esc(r.model)}">
  <h2>${esc(r.model)} <span class="verdict ${r.ok ? 'ok' : 'fail'}">${r.ok ? 'every byte verified' : 'a scenario FAILED'}</span></h2>
  <pre class="loop">${esc(LOOPS[r.model].join('\n'))}</pre>
  ${timeline(r, meanings)}
</section>`).join('\n');
  const legend = Object.entries(COLORS).map(([k, c]) => `<span><i style="background:${c}"></i>${esc(k)}</span>`).join(' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>winsock-models tour: one connection's life in each model</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #212529; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 18px 0 4px; }
  .verdict { font-size: 12px; font-weight: normal; margin-left: 8px; }
  .verdict.ok { color: #2b8a3e; } .verdict.fail { color: #c92a2a; }
  pre.loop { font-size: 12px; color: #495057; margin: 2px 0 4px; white-space: pre-wrap; }
  .lane { stroke: #dee2e6; stroke-width: 1; }
  .lane-name { font-size: 12px; text-anchor: end; fill: #495057; }
  .tick { font-size: 11px; text-anchor: middle; fill: #868e96; }
  .mark { opacity: .75; cursor: pointer; }
  .mark.milestone { opacity: 1; stroke: #fff; stroke-width: 1.5; }
  .mark.error { stroke: #c92a2a; stroke-width: 2; }
  .mark:hover, .mark.active { opacity: 1; stroke: #000; stroke-width: 2; }
  .caption, .none { font-size: 12px; color: #868e96; margin: 0; }
  #details { position: sticky; top: 0; background: #f8f9fa; border: 1px solid #dee2e6; padding: 8px 12px; min-height: 40px; z-index: 1; }
  #details .what { font-family: ui-monospace, monospace; }
  .legend span { margin-right: 12px; font-size: 12px; white-space: nowrap; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
</style>
</head>
<body>
<h1>One connection's life in each Winsock model</h1>
<p>Each row is one model's echo server serving the tour's burst client (16 MiB written while it does not read, then read back),
drawn from the core's structured trace. Lanes: the listening socket, the connection's socket, and the waits (select returns,
completion routines run). Large marks are the milestones; a red ring is a call that failed. Hover a mark for what happened and what it means.</p>
<p class="legend">${legend}</p>
<div id="details"><span class="what">hover a mark</span></div>
${sections}
<script>
  const MEANINGS = ${JSON.stringify(meanings.list).replace(/</g, '\\u003c')};
  const details = document.getElementById('details');
  let active = null;
  document.addEventListener('mouseover', (e) => {
    const m = e.target.closest && e.target.closest('.mark');
    if (!m) return;
    if (active) active.classList.remove('active');
    active = m; m.classList.add('active');
    const model = m.closest('section').dataset.model;
    details.innerHTML = '';
    const head = document.createElement('div');
    head.className = 'what';
    head.textContent = model + '  ' + m.querySelector('title').textContent;
    const body = document.createElement('div');
    body.textContent = MEANINGS[Number(m.dataset.m)];
    details.append(head, body);
  });
</script>
</body>
</html>
`;
}
