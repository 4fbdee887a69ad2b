// Minimal data-path page: scenario switches, the pprof index read through the data-proxy stand-in, and a live CPU
// capture whose bytes are checked for the gzip magic the data source decodes. No eval, no inline script (the page
// runs under a CSP without 'unsafe-eval', as Grafana may).
'use strict';

const PROXY = '/api/datasources/proxy/uid/goruntime-demo-pprof';
const history = [];

function text(tag, value) {
  const el = document.createElement(tag);
  el.textContent = value;
  return el;
}

async function loadScenarios() {
  const list = await (await fetch('/demo/scenarios')).json();
  const ul = document.getElementById('scenarios');
  ul.replaceChildren(
    ...list.map((scenario) => {
      const li = document.createElement('li');
      li.className = scenario.on ? 'on' : '';
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = scenario.on;
      box.dataset.scenario = scenario.name;
      box.addEventListener('change', async () => {
        await fetch(`/demo/scenario/${encodeURIComponent(scenario.name)}?on=${box.checked ? 1 : 0}`, { method: 'POST' });
        loadScenarios();
      });
      label.append(box, ` ${scenario.name}`);
      li.append(label, text('div', `${scenario.description} → ${scenario.finding}`));
      return li;
    })
  );
}

async function loadIndex() {
  const html = await (await fetch(`${PROXY}/debug/pprof/`)).text();
  const rows = [...html.matchAll(/<tr>\s*<td>(\d*)<\/td>\s*<td><a href=['"]?([\w.-]+)/g)];
  document.querySelector('#profiles tbody').replaceChildren(
    ...rows.map(([, count, name]) => {
      const tr = document.createElement('tr');
      tr.dataset.profile = name;
      tr.append(text('td', name), text('td', count));
      return tr;
    })
  );
  const goroutines = rows.find(([, , name]) => name === 'goroutine');
  if (goroutines) {
    history.push(Number(goroutines[1]));
    document.getElementById('goroutine-history').textContent = history.slice(-20).join(' → ');
  }
}

document.getElementById('capture-cpu').addEventListener('click', async () => {
  const out = document.getElementById('capture-result');
  out.textContent = 'capturing…';
  const response = await fetch(`${PROXY}/debug/pprof/profile?seconds=1`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  out.textContent = `HTTP ${response.status}, ${bytes.length} bytes, ${gzip ? 'gzip-compressed pprof' : 'not gzip'}`;
});

loadScenarios();
loadIndex();
setInterval(loadIndex, 2000);
