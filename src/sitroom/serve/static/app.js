// sitroom dashboard: five pages over the JSON API, charts drawn as plain SVG.
// Safety rules: nothing from the API is ever parsed as HTML (text nodes and setAttribute
// only, no innerHTML); a stored URL becomes a link only when it is http(s) (`webUrl`);
// values put into addresses go through encodeURIComponent; styles are set through the
// CSSOM (the Content-Security-Policy refuses style="..." attributes).
"use strict";

const main = document.getElementById("main");
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick") node.addEventListener("click", v);
    else if (k === "style") Object.assign(node.style, v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// With `sitroom serve --token T`, open the dashboard once as /#token=T; the token is kept
// for this tab and sent as a bearer token with every API request.
const hashToken = new URLSearchParams(location.hash.slice(1)).get("token");
if (hashToken) {
  sessionStorage.setItem("sitroom-token", hashToken);
  history.replaceState({}, "", location.pathname + location.search);
}

async function api(path) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem("sitroom-token");
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { headers });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function params() { return new URLSearchParams(location.search); }

const enc = encodeURIComponent;

// The address if it is an absolute http(s) URL, else null (javascript:, data:, ...).
function webUrl(value) {
  try {
    const url = new URL(String(value));
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (_) {
    return null;
  }
}

function table(rows, columns, onRow) {
  const head = el("tr", {}, ...columns.map(([, label]) => el("th", {}, label)));
  const body = rows.map((row) => {
    const tr = el("tr", onRow ? { class: "row" } : {},
      ...columns.map(([key]) => el("td", {}, fmt(row[key]))));
    if (onRow) tr.addEventListener("click", () => onRow(row));
    return tr;
  });
  return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
}

function fmt(v) {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.join(", ");
  return String(v);
}

// ---------------------------------------------------------------- charts
function lineChart(rows, series, { width = 560, height = 220 } = {}) {
  const pad = 34;
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
  if (!rows.length) return chart;
  const max = Math.max(1, ...rows.flatMap((r) => series.map(([k]) => r[k] || 0)));
  const x = (i) => pad + (rows.length === 1 ? 0 : (i * (width - 2 * pad)) / (rows.length - 1));
  const y = (v) => height - pad - (v / max) * (height - 2 * pad);
  chart.append(svg("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: "#999" }));
  for (const [key, cls] of series) {
    const points = rows.map((r, i) => `${x(i)},${y(r[key] || 0)}`).join(" ");
    chart.append(svg("polyline", { points, fill: "none", class: cls, "stroke-width": 2 }));
    rows.forEach((r, i) => chart.append(svg("circle", { cx: x(i), cy: y(r[key] || 0), r: 3, class: cls })));
  }
  rows.forEach((r, i) => {
    if (rows.length <= 12 || i % Math.ceil(rows.length / 12) === 0) {
      const t = svg("text", { x: x(i), y: height - pad + 14, "text-anchor": "middle" });
      t.textContent = String(r.period).slice(0, 7);
      chart.append(t);
    }
  });
  const top = svg("text", { x: 2, y: pad });
  top.textContent = String(max);
  chart.append(top);
  return chart;
}

function barChart(pairs, { width = 560, height = 220 } = {}) {
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
  const max = Math.max(1, ...pairs.map(([, v]) => v));
  const bar = (width - 120) / Math.max(1, pairs.length);
  pairs.forEach(([label, value], i) => {
    const h = (value / max) * (height - 40);
    chart.append(svg("rect", { x: 100 + i * bar, y: height - 20 - h, width: bar * 0.8, height: h, fill: "#4a7fb5" }));
    const t = svg("text", { x: 100 + i * bar, y: height - 6 });
    t.textContent = label.slice(0, 5);
    chart.append(t);
  });
  return chart;
}

function networkGraph(center, partners, { width = 560, height = 360 } = {}) {
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
  const cx = width / 2, cy = height / 2, radius = Math.min(width, height) / 2 - 40;
  const max = Math.max(1, ...partners.map((p) => p.events));
  partners.forEach((p, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, partners.length);
    const px = cx + radius * Math.cos(a), py = cy + radius * Math.sin(a);
    const cls = p.goldstein_mean >= 0 ? "coop" : "conf";
    chart.append(svg("line", { x1: cx, y1: cy, x2: px, y2: py, class: cls, "stroke-width": 1 + (4 * p.events) / max, opacity: 0.6 }));
    chart.append(svg("circle", { cx: px, cy: py, r: 14, fill: "#fff", stroke: "#555" }));
    const t = svg("text", { x: px, y: py + 4, "text-anchor": "middle" });
    t.textContent = p.partner;
    chart.append(t);
  });
  chart.append(svg("circle", { cx, cy, r: 20, fill: "#1d2b3a" }));
  const t = svg("text", { x: cx, y: cy + 4, "text-anchor": "middle", class: "on-dark" });
  t.textContent = center;
  chart.append(t);
  return chart;
}

// ---------------------------------------------------------------- pages
async function overview() {
  const data = await api("/api/overview");
  main.replaceChildren(
    el("h2", {}, `Store: ${data.counts.documents} documents, ${data.counts.events} events, newest story ${data.latest}`),
    el("div", { class: "grid" },
      el("div", { class: "card" }, el("h2", {}, "Newest events"),
        table(data.newest_events, [["date", "date"], ["event_type", "type"], ["source_codes", "source"], ["target_codes", "target"], ["location_name", "place"]],
          (r) => { location.href = `/events?event=${enc(r.event_id)}`; })),
      el("div", { class: "card" }, el("h2", {}, "Most active dyads"),
        table(data.top_dyads, [["a", "A"], ["b", "B"], ["events", "events"], ["goldstein_mean", "tone"]],
          (r) => { location.href = `/dyad?a=${enc(r.a)}&b=${enc(r.b)}`; }))),
    el("div", { class: "card" }, el("h2", {}, "Biggest changes this week"),
      table(data.changes, [["side_a", "A"], ["side_b", "B"], ["events", "events"], ["baseline_mean", "baseline"], ["z", "z"], ["tone_shift", "tone shift"], ["score", "score"]])),
  );
}

async function events() {
  const p = params();
  const form = el("form", { id: "filters" },
    el("label", {}, "actor", el("input", { name: "actor", value: p.get("actor") || "", size: 6 })),
    el("label", {}, "type", el("input", { name: "type", value: p.get("type") || "", size: 9 })),
    el("label", {}, "since", el("input", { name: "since", type: "date", value: p.get("since") || "" })),
    el("label", {}, "until", el("input", { name: "until", type: "date", value: p.get("until") || "" })),
    el("label", {}, "text", el("input", { name: "q", value: p.get("q") || "" })),
    el("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
    history.pushState({}, "", `/events?${next}`);
    events();
  });
  const query = new URLSearchParams();
  for (const k of ["actor", "type", "since", "until", "q"]) if (p.get(k)) query.set(k, p.get(k));
  query.set("page_size", "100");
  const data = await api(`/api/events?${query}`);
  const evidence = el("div", { id: "evidence" });
  main.replaceChildren(el("h2", {}, "Event explorer"), form,
    el("p", { class: "muted", id: "total" }, `${data.total} events`),
    evidence,
    table(data.items, [["date", "date"], ["event_type", "type"], ["source_codes", "source"], ["target_codes", "target"], ["modality", "modality"], ["location_name", "place"], ["sentence", "sentence"]],
      (r) => showEvidence(r.event_id, evidence)));
  if (p.get("event")) showEvidence(p.get("event"), evidence);
}

async function showEvidence(id, box) {
  const ev = await api(`/api/events/${encodeURIComponent(id)}`);
  const text = ev.sentence || "";
  const spans = [...ev.spans].sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    parts.push(text.slice(at, s.start));
    parts.push(el("mark", { class: s.kind, title: s.kind }, text.slice(s.start, s.end)));
    at = s.end;
  }
  parts.push(text.slice(at));
  box.replaceChildren(
    el("div", { class: "evidence", id: "evidence-text" }, ...parts),
    el("p", { class: "legend" }, el("span", {}, `${ev.event_type} ${ev.mode || ""}`),
      el("span", {}, `date ${ev.date || "-"} (${ev.date_basis || "-"})`),
      el("span", {}, `place ${ev.location_name || "-"}`), el("span", {}, `modality ${ev.modality}`),
      el("span", {}, `confidence ${ev.confidence}`),
      el("a", { href: `/document?id=${encodeURIComponent(ev.doc_id)}&event=${encodeURIComponent(ev.event_id)}`, id: "document-link" }, `whole document: ${ev.title || ev.doc_id}`)));
}

async function dyad() {
  const p = params();
  const a = p.get("a") || "MYS", b = p.get("b") || "RUS";
  const data = await api(`/api/dyads/${enc(a)}/${enc(b)}/series?freq=month`);
  const rows = data.rows.map((r) => ({ ...r, coop: (r.quad1 || 0) + (r.quad2 || 0), conf: (r.quad3 || 0) + (r.quad4 || 0) }));
  const mix = {};
  for (const r of data.rows) for (const [k, v] of Object.entries(r)) if (/^[A-Z]+$/.test(k)) mix[k] = (mix[k] || 0) + v;
  const top = await api(`/api/events?${new URLSearchParams({ dyad: `${a},${b}`, page_size: "10", sort: "-goldstein" })}`);
  main.replaceChildren(el("h2", {}, `${a} ↔ ${b}`),
    el("div", { class: "grid" },
      el("div", { class: "card" }, el("h2", {}, "Cooperation against conflict by month"),
        el("p", { class: "legend" }, el("span", { style: { color: "#2f8f5b" } }, "cooperation (QuadClass 1-2)"), el("span", { style: { color: "#c0392b" } }, "conflict (3-4)")),
        lineChart(rows, [["coop", "coop"], ["conf", "conf"]])),
      el("div", { class: "card" }, el("h2", {}, "Event mix"), barChart(Object.entries(mix)))),
    el("div", { class: "card" }, el("h2", {}, "Top events"),
      table(top.items, [["date", "date"], ["event_type", "type"], ["goldstein", "Goldstein"], ["sentence", "sentence"]],
        (r) => { location.href = `/events?event=${enc(r.event_id)}`; })));
}

async function country() {
  const code = params().get("code") || "MYS";
  const [profile, align, kb] = await Promise.all([
    api(`/api/countries/${enc(code)}/profile`),
    api(`/api/countries/${enc(code)}/alignment`),
    api(`/api/kb/countries/${enc(code)}`),
  ]);
  const blocs = [...new Set(align.rows.map((r) => r.bloc))];
  const periods = [...new Set(align.rows.map((r) => r.period))];
  const wide = periods.map((period) => {
    const row = { period };
    for (const r of align.rows) if (r.period === period) row[r.bloc] = r.alignment ?? 0;
    return row;
  });
  const colours = ["#4a7fb5", "#c0392b", "#2f8f5b", "#8e44ad", "#d68910"];
  const chart = lineChart(wide, []);
  blocs.forEach((bloc, i) => {
    const part = lineChart(wide.map((r) => ({ period: r.period, v: (r[bloc] || 0) + 1 })), [["v", ""]]);
    for (const node of part.querySelectorAll("polyline, circle")) {
      node.setAttribute("stroke", colours[i % colours.length]);
      node.setAttribute("fill", node.tagName === "circle" ? colours[i % colours.length] : "none");
      chart.append(node);
    }
  });
  main.replaceChildren(el("h2", {}, `${profile.country}: partners, alignment, memberships`),
    el("div", { class: "grid" },
      el("div", { class: "card" }, el("h2", {}, "Partner network"), networkGraph(profile.country, profile.partners)),
      el("div", { class: "card" }, el("h2", {}, "Bloc alignment over time (index + 1, 90-day window)"),
        el("p", { class: "legend" }, ...blocs.map((b, i) => el("span", { style: { color: colours[i % colours.length] } }, b))), chart)),
    el("div", { class: "card" }, el("h2", {}, "Memberships (curated) and what the text says"),
      table(kb.memberships, [["org", "org"], ["status", "status"], ["from", "from"], ["until", "until"], ["source", "source"]]),
      table(kb.observations, [["org", "org"], ["status", "text says"], ["date", "date"], ["evidence", "evidence"]])));
}

async function documentPage() {
  const p = params();
  const doc = await api(`/api/documents/${encodeURIComponent(p.get("id") || "")}`);
  const parts = [];
  let at = 0;
  for (const e of doc.events) {
    if (e.trigger_start < at) continue;
    parts.push(doc.text.slice(at, e.trigger_start));
    const cls = e.event_id === p.get("event") ? "trigger" : "date";
    parts.push(el("mark", { class: cls, title: `${e.event_type} ${e.date || ""}` }, doc.text.slice(e.trigger_start, e.trigger_end)));
    at = e.trigger_end;
  }
  parts.push(doc.text.slice(at));
  const href = webUrl(doc.url);
  main.replaceChildren(el("h2", {}, doc.title || doc.doc_id),
    el("p", { class: "muted" }, `${doc.pub_date || "undated"} · ${doc.source || ""} `,
      href ? el("a", { href, rel: "noopener noreferrer", id: "source-link" }, href) : ""),
    el("div", { class: "evidence pre-wrap", id: "document-text" }, ...parts));
}

function filterForm(page, keys) {
  const p = params();
  const form = el("form", { id: "filters" },
    ...keys.map(([name, type, size]) => el("label", {}, name,
      el("input", { name, type, size, value: p.get(name) || "" }))),
    el("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
    history.pushState({}, "", `/${page}?${next}`);
    route();
  });
  return form;
}

async function map() {
  const p = params();
  const query = new URLSearchParams({ page_size: "200" });
  for (const k of ["actor", "type", "since", "until"]) if (p.get(k)) query.set(k, p.get(k));
  const [world, data] = await Promise.all([api("/api/world"), api(`/api/events?${query}`)]);
  const chart = svg("svg", { viewBox: `0 0 ${world.width} ${world.height}`, width: "100%", role: "img", id: "world" });
  for (const shape of world.shapes) chart.append(svg("path", { d: shape.d, fill: "#dfe6ee", stroke: "#fff", "stroke-width": 0.5 }));
  const [cx, cy] = [world.projection.x, world.projection.y];
  let shown = 0;
  for (const e of data.items) {
    if (e.location_lat === null || e.location_lon === null) continue;
    const r = (e.location_lat * Math.PI) / 180;
    const x = cx[0] + e.location_lon * (cx[1] + cx[2] * r ** 2 + cx[3] * r ** 4);
    const y = cy[0] + cy[1] * r + cy[2] * r ** 3 + cy[3] * r ** 5;
    const dot = svg("circle", { cx: x, cy: y, r: 9, class: e.goldstein >= 0 ? "coop" : "conf", opacity: 0.7 });
    const title = svg("title");
    title.textContent = `${e.date} ${e.event_type} ${e.location_name}`;
    dot.append(title);
    chart.append(dot);
    shown += 1;
  }
  const form = filterForm("map", [["actor", "text", 6], ["type", "text", 9], ["since", "date"], ["until", "date"]]);
  main.replaceChildren(el("h2", {}, `Map: ${shown} located events of ${data.total}`), form, chart,
    el("p", { class: "muted" }, `World outline: ${world.source}; fitted projection, median error ${world.median_error_px} px.`));
}

const PAGES = { overview, events, dyad, country, map, document: documentPage };

async function route() {
  const name = location.pathname.replace(/^\//, "") || "overview";
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.page === name);
  try {
    await (PAGES[name] || overview)();
  } catch (err) {
    main.replaceChildren(el("p", { class: "muted" }, `Could not load: ${err.message}`));
  }
}

window.addEventListener("popstate", route);
route();
