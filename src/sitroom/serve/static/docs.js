// sitroom API reference: renders /openapi.json with a "try it" form per operation.
// Everything comes from the app itself (no CDN) and is built with DOM calls (no HTML
// strings), so it works offline and under the app's Content-Security-Policy.
"use strict";

const main = document.getElementById("main");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

function resolve(spec, schema) {
  if (schema && schema.$ref) {
    let node = spec;
    for (const part of schema.$ref.replace(/^#\//, "").split("/")) node = node[part];
    return node;
  }
  return schema || {};
}

function typeOf(spec, schema) {
  schema = resolve(spec, schema);
  if (schema.anyOf) return schema.anyOf.map((s) => typeOf(spec, s)).filter((t) => t !== "null").join(" | ");
  if (schema.enum) return schema.enum.map(String).join(" | ");
  if (schema.const !== undefined) return String(schema.const);
  if (schema.type === "array") return `list of ${typeOf(spec, schema.items)}`;
  const bounds = [];
  for (const [key, sign] of [["minimum", "≥"], ["maximum", "≤"], ["minLength", "length ≥"], ["maxLength", "length ≤"]]) {
    if (schema[key] !== undefined) bounds.push(`${sign} ${schema[key]}`);
  }
  const kind = schema.format ? `${schema.type} (${schema.format})` : schema.type || "any";
  return bounds.length ? `${kind}, ${bounds.join(", ")}` : kind;
}

async function call(path, form, out) {
  let url = path;
  const query = new URLSearchParams();
  for (const input of form.querySelectorAll("input")) {
    const value = input.value.trim();
    if (!value) continue;
    if (input.dataset.in === "path") url = url.replace(`{${input.name}}`, encodeURIComponent(value));
    else for (const part of input.dataset.list ? value.split(/\s*,\s*/) : [value]) query.append(input.name, part);
  }
  if (query.toString()) url += `?${query}`;
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem("sitroom-token");
  if (token) headers.Authorization = `Bearer ${token}`;
  out.textContent = `GET ${url} …`;
  try {
    const response = await fetch(url, { headers });
    const text = await response.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* not JSON */ }
    out.textContent = `GET ${url}\n${response.status} ${response.statusText}\n\n${shown.slice(0, 20000)}`;
  } catch (err) {
    out.textContent = `GET ${url}\nfailed: ${err.message}`;
  }
}

function operation(spec, path, method, op) {
  const params = op.parameters || [];
  const form = el("form", { class: "try" });
  const out = el("pre", { class: "result" });
  const rows = params.map((p) => {
    const schema = resolve(spec, p.schema);
    const isList = schema.type === "array" || (schema.anyOf || []).some((s) => s.type === "array");
    const input = el("input", { name: p.name, "data-in": p.in, size: 12, placeholder: isList ? "a, b" : "" });
    if (isList) input.dataset.list = "1";
    if (schema.default !== undefined && schema.default !== null) input.placeholder = String(schema.default);
    form.append(el("label", {}, p.name, input));
    return el("tr", {}, el("td", {}, el("code", {}, p.name)), el("td", {}, p.in),
      el("td", {}, p.required ? "required" : ""), el("td", {}, typeOf(spec, p.schema)),
      el("td", {}, p.description || schema.description || ""));
  });
  form.append(el("button", { type: "submit" }, "Try it"));
  form.addEventListener("submit", (e) => { e.preventDefault(); call(path, form, out); });
  const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-");
  return el("section", { class: "card operation", id },
    el("h2", {}, el("span", { class: "method" }, method.toUpperCase()), " ", el("code", {}, path)),
    op.summary ? el("p", { class: "muted" }, op.summary) : "",
    rows.length ? el("table", {}, el("thead", {}, el("tr", {}, ...["name", "in", "", "type", "description"].map((h) => el("th", {}, h)))), el("tbody", {}, ...rows)) : el("p", { class: "muted" }, "No parameters."),
    form, out);
}

async function render() {
  const response = await fetch("/openapi.json", { headers: { Accept: "application/json" } });
  const spec = await response.json();
  const sections = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) sections.push(operation(spec, path, method, op));
  }
  main.replaceChildren(
    el("h2", { id: "api-title" }, `${spec.info.title} API ${spec.info.version}`),
    el("p", { class: "muted" }, spec.info.description || "", " Errors always come as ",
      el("code", {}, '{"error": {"status", "code", "message", "parameter"}}'), ". The machine-readable description: ",
      el("a", { href: "/openapi.json" }, "/openapi.json"), "."),
    ...sections);
}

render().catch((err) => main.replaceChildren(el("p", { class: "muted" }, `Could not load: ${err.message}`)));
