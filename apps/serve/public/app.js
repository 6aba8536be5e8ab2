// The musicrec page: pick liked items through /search, get /recommend for them, each with its
// /explain reason, and /similar items for a result. Plain DOM; text goes in through textContent only.

const MAX_PICKS = 5;
const K = 10;

const $ = (id) => document.getElementById(id);
const state = { artifacts: [], model: null, picked: [], searchSeq: 0, recommendSeq: 0 };

/** fetch + JSON; an error answer ({error, field, message}) becomes a thrown Error with its message. */
async function api(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const data = await res.json();
  if (!res.ok) throw new Error(data.field ? `${data.message} (${data.field})` : data.message);
  return data;
}

function status(text) {
  $('status').textContent = text;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

const current = () => state.artifacts.find((a) => a.key === state.model);
const title = (item) => item.name ?? item.id;

function meta(item) {
  const parts = [];
  // Last.fm items are artists: the name is the artist, so it is not repeated
  if (item.artist && item.artist !== item.name) parts.push(item.artist);
  if (item.genre) parts.push(item.genre);
  if (item.year) parts.push(String(item.year));
  if (parts.length === 0 && item.tags.length > 0) parts.push(item.tags.slice(0, 3).join(', '));
  return parts.join(' · ');
}

function itemLabel(item) {
  return el('span', { class: 'label' }, el('span', { class: 'name' }, title(item)), el('span', { class: 'meta' }, meta(item)));
}

function qs(params) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) s.append(k, String(x));
  return s.toString();
}

// ---- models ---------------------------------------------------------------------------------

async function loadModels() {
  const health = await api('/health');
  state.artifacts = health.artifacts;
  const select = $('model');
  select.replaceChildren(
    ...health.artifacts.map((a) => el('option', { value: a.key }, `${a.dataset} — ${a.model} (${a.items.toLocaleString()} items)`)),
  );
  select.disabled = false;
  selectModel(health.defaultModel);
}

function selectModel(key) {
  state.model = key;
  $('model').value = key;
  const a = current();
  const abilities = [a.abilities.explain ? 'explains' : null, a.abilities.similar ? 'similar items' : null].filter(Boolean).join(', ');
  $('model-info').textContent =
    `${a.model} trained on ${a.dataset}: ${a.users.toLocaleString()} users × ${a.items.toLocaleString()} items; ranking through ${a.index}` +
    (abilities ? `; ${abilities}` : '');
  // ids belong to one artifact: a new model starts from an empty basket
  state.picked = [];
  renderPicked();
  $('search-results').replaceChildren();
  $('results').replaceChildren();
  $('similar').replaceChildren();
  $('similar-to').textContent = 'Nothing chosen yet.';
  const q = $('q').value.trim();
  if (q) void search(q);
}

// ---- search and picks -----------------------------------------------------------------------

async function search(q) {
  const seq = ++state.searchSeq;
  try {
    const { items } = await api(`/search?${qs({ q, model: state.model, limit: 10 })}`);
    if (seq !== state.searchSeq) return; // a newer search is under way
    const list = $('search-results');
    list.replaceChildren(
      ...items.map((item) => {
        const picked = state.picked.some((p) => p.id === item.id);
        const full = state.picked.length >= MAX_PICKS;
        return el(
          'li',
          {},
          itemLabel(item),
          el('button', { type: 'button', class: 'add', disabled: picked || full, 'aria-label': `Add ${title(item)}`, onclick: () => pick(item) }, picked ? 'Added' : 'Add'),
        );
      }),
    );
    if (items.length === 0) list.append(el('li', { class: 'empty' }, `Nothing matches “${q}”.`));
    status('');
  } catch (e) {
    status(`Search failed: ${e.message}`);
  }
}

function pick(item) {
  if (state.picked.length >= MAX_PICKS || state.picked.some((p) => p.id === item.id)) return;
  state.picked.push(item);
  renderPicked();
  const q = $('q').value.trim();
  if (q) void search(q);
}

function unpick(id) {
  state.picked = state.picked.filter((p) => p.id !== id);
  renderPicked();
  const q = $('q').value.trim();
  if (q) void search(q);
}

function renderPicked() {
  $('picked').replaceChildren(
    ...state.picked.map((item) =>
      el('li', {}, title(item), el('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${title(item)}`, onclick: () => unpick(item.id) }, '×')),
    ),
  );
  $('picked-count').textContent = `${state.picked.length} of ${MAX_PICKS}`;
  $('recommend').disabled = state.picked.length === 0;
}

// ---- recommendations, reasons, similar ------------------------------------------------------

async function recommend() {
  const seq = ++state.recommendSeq;
  const liked = state.picked.map((p) => p.id);
  const list = $('results');
  list.setAttribute('aria-busy', 'true');
  status('Recommending…');
  try {
    const { items } = await api('/recommend', { liked, k: K, model: state.model });
    if (seq !== state.recommendSeq) return;
    const explains = current().abilities.explain;
    list.replaceChildren(...items.map((item) => resultRow(item, liked, explains)));
    status(`${items.length} recommendations for ${liked.length} liked.`);
  } catch (e) {
    status(`Recommend failed: ${e.message}`);
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

function resultRow(item, liked, explains) {
  const reason = el('p', { class: 'reason' }, explains ? 'Finding the reason…' : 'This model does not explain itself.');
  const similarButton = el('button', { type: 'button', class: 'similar', 'aria-controls': 'similar', onclick: () => similar(item) }, 'Similar');
  const row = el(
    'li',
    {},
    el('div', { class: 'row' }, el('span', { class: 'rank' }, `${item.rank}.`), itemLabel(item), el('span', { class: 'score', title: 'score' }, item.score.toFixed(3)), similarButton),
    reason,
  );
  if (explains) void explainInto(reason, liked, item);
  return row;
}

async function explainInto(node, liked, item) {
  try {
    const e = await api(`/explain?${qs({ liked, item: item.id, model: state.model })}`);
    node.replaceChildren(...reasonParts(e));
  } catch (err) {
    node.textContent = `No reason: ${err.message}`;
  }
}

/** "Because you like X (0.41), Y (0.22)" and the components' shares of the score. */
function reasonParts(e) {
  const parts = [];
  const near = e.nearestLikedItems.slice(0, 2);
  if (near.length > 0) {
    parts.push(el('span', { class: 'because' }, `Because you like ${near.map((n) => `${title(n)} (${n.similarity.toFixed(2)})`).join(', ')}`));
  }
  const entries = Object.entries(e.contributions).filter(([, v]) => v !== 0);
  const total = entries.reduce((s, [, v]) => s + Math.abs(v), 0);
  if (entries.length > 0 && total > 0) {
    const bars = el('span', { class: 'contributions', 'aria-label': 'score by component' });
    for (const [name, v] of entries.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))) {
      const share = Math.round((100 * Math.abs(v)) / total);
      const bar = el('span', { class: 'bar' });
      bar.style.width = `${Math.max(share, 4)}px`; // through CSSOM: the page's CSP refuses style attributes
      bars.append(el('span', { class: 'part' }, bar, `${name} ${v.toFixed(3)} (${share}%)`));
    }
    parts.push(bars);
  }
  if (parts.length === 0) parts.push(`score ${e.score.toFixed(3)}`);
  return parts;
}

async function similar(item) {
  $('similar-to').textContent = `Similar to ${title(item)}:`;
  const list = $('similar');
  try {
    const { items } = await api(`/similar/${encodeURIComponent(item.id)}?${qs({ k: K, model: state.model })}`);
    list.replaceChildren(...items.map((s) => el('li', {}, itemLabel(s), el('span', { class: 'score' }, s.score.toFixed(3)))));
    status(`${items.length} similar to ${title(item)}.`);
  } catch (e) {
    list.replaceChildren();
    status(`Similar failed: ${e.message}`);
  }
}

// ---- wiring ---------------------------------------------------------------------------------

let debounce = 0;
$('q').addEventListener('input', () => {
  clearTimeout(debounce);
  const q = $('q').value.trim();
  if (q) debounce = setTimeout(() => void search(q), 200);
  else $('search-results').replaceChildren();
});
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(debounce);
  const q = $('q').value.trim();
  if (q) void search(q);
});
$('model').addEventListener('change', () => selectModel($('model').value));
$('recommend').addEventListener('click', () => void recommend());

loadModels().catch((e) => status(`Cannot reach the server: ${e.message}`));
