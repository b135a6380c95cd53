// The drawing page of `zs-sbir-search serve`: a canvas (pointer events: mouse, pen, touch), undo
// and clear, and the nearest photos, searched again (debounced) while you draw.
const K = Number(new URLSearchParams(location.search).get('k')) || 10;
const DEBOUNCE_MS = 250;
const LINE_WIDTH = 8;

const canvas = document.getElementById('sketch');
const ctx = canvas.getContext('2d');
const list = document.getElementById('results');
const statusLine = document.getElementById('status');

/** Strokes, oldest first: each a list of [x, y] canvas points. */
const strokes = [];
/** An opened sketch image, drawn under the strokes (undo removes it after the last stroke). */
let background = null;
let drawing = null;
let timer = 0;
/** Whether a drawing change waits (debounced) to be searched. */
let scheduled = false;
let sequence = 0;
let inFlight = null;

function status(text, state) {
  statusLine.textContent = text;
  statusLine.dataset.state = state;
}

function drawStroke(points) {
  ctx.lineWidth = LINE_WIDTH;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#000';
  ctx.fillStyle = '#000';
  if (points.length === 1) {
    ctx.beginPath();
    ctx.arc(points[0][0], points[0][1], LINE_WIDTH / 2, 0, 2 * Math.PI);
    ctx.fill();
    return;
  }
  ctx.beginPath();
  ctx.moveTo(points[0][0], points[0][1]);
  for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
  ctx.stroke();
}

function redraw() {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (background) {
    const scale = Math.min(canvas.width / background.width, canvas.height / background.height);
    const w = background.width * scale;
    const h = background.height * scale;
    ctx.drawImage(background, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
  }
  for (const points of strokes) drawStroke(points);
}

function canvasPoint(event) {
  const box = canvas.getBoundingClientRect();
  return [
    ((event.clientX - box.left) * canvas.width) / box.width,
    ((event.clientY - box.top) * canvas.height) / box.height,
  ];
}

function showResults(results, id) {
  list.replaceChildren(
    ...results.map((r, i) => {
      const item = document.createElement('li');
      item.dataset.path = r.path;
      item.dataset.score = String(r.score);
      const img = document.createElement('img');
      img.src = r.url;
      img.alt = r.path;
      img.loading = 'lazy';
      const path = document.createElement('div');
      path.className = 'path';
      path.textContent = `${i + 1}. ${r.path}`;
      const score = document.createElement('div');
      score.className = 'score';
      score.textContent = `score ${r.score.toFixed(4)}`;
      item.append(img, path, score);
      return item;
    }),
  );
  list.dataset.query = String(id);
}

/** Posts a PNG (the canvas, or an opened file as it is) to /api/search and shows the results. */
export async function searchPng(blob) {
  const id = ++sequence;
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  status('Searching…', 'busy');
  const started = performance.now();
  try {
    const response = await fetch(`/api/search?k=${K}`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: blob,
      signal: controller.signal,
    });
    const body = await response.json();
    if (id !== sequence) return;
    if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
    showResults(body.results, id);
    const ms = Math.round(performance.now() - started);
    // Results for an older drawing while a newer one waits: shown, but not yet "ready".
    if (scheduled) status('Searching…', 'busy');
    else status(`${body.results.length} results in ${ms} ms`, 'ready');
  } catch (err) {
    if (err.name === 'AbortError' || id !== sequence) return;
    status(`Search failed: ${err.message}`, 'error');
  }
}

function searchCanvas() {
  clearTimeout(timer);
  scheduled = false;
  if (strokes.length === 0 && !background) {
    sequence++;
    inFlight?.abort();
    list.replaceChildren();
    list.dataset.query = String(sequence);
    status('Draw something: results follow as you draw.', 'empty');
    return;
  }
  status('Searching…', 'busy');
  canvas.toBlob((blob) => blob && searchPng(blob), 'image/png');
}

/** Searches once drawing pauses; the status says "busy" from now until the results show. */
function schedule() {
  clearTimeout(timer);
  scheduled = true;
  if (statusLine.dataset.state !== 'busy') status('Searching…', 'busy');
  timer = setTimeout(searchCanvas, DEBOUNCE_MS);
}

canvas.addEventListener('pointerdown', (event) => {
  if (event.pointerType === 'mouse' && event.button !== 0) return;
  event.preventDefault();
  canvas.setPointerCapture(event.pointerId);
  drawing = { id: event.pointerId, points: [canvasPoint(event)] };
  strokes.push(drawing.points);
  redraw();
});
canvas.addEventListener('pointermove', (event) => {
  if (!drawing || event.pointerId !== drawing.id) return;
  const events = event.getCoalescedEvents?.() ?? [];
  for (const e of events.length > 0 ? events : [event]) drawing.points.push(canvasPoint(e));
  redraw();
  schedule();
});
function endStroke(event) {
  if (!drawing || event.pointerId !== drawing.id) return;
  drawing = null;
  schedule();
}
canvas.addEventListener('pointerup', endStroke);
canvas.addEventListener('pointercancel', endStroke);

function undo() {
  if (strokes.length > 0) strokes.pop();
  else background = null;
  redraw();
  searchCanvas();
}
function clear() {
  strokes.length = 0;
  background = null;
  redraw();
  searchCanvas();
}
document.getElementById('undo').addEventListener('click', undo);
document.getElementById('clear').addEventListener('click', clear);
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 'z') {
    event.preventDefault();
    undo();
  }
});
document.getElementById('upload').addEventListener('change', async (event) => {
  const file = event.target.files?.[0];
  event.target.value = '';
  if (!file) return;
  try {
    background = await createImageBitmap(file);
  } catch {
    status(`${file.name}: not an image the browser can read`, 'error');
    return;
  }
  strokes.length = 0;
  redraw();
  clearTimeout(timer);
  scheduled = false;
  searchPng(file);
});

redraw();
fetch('/api/info')
  .then((r) => r.json())
  .then((info) => {
    document.getElementById('info').textContent =
      `${info.count} photos indexed (${info.backbone}, ${info.dim}-d embeddings)`;
  })
  .catch(() => {});
