/* The twochannel playground: state ⇄ URL, controls from the parameter and lever schemas,
   instant aggregate-model charts, household jobs with progress. Plain JS, no build step. */
"use strict";

const API = "/api/v1";
const SCHEMA_VERSION = 1;
const BASE_YEAR = 2025;
/* sliders shown first (short keys); every other parameter is a number input */
const SLIDERS = ["abar", "rhoR", "sigma", "Delta0", "psi", "kappa", "T_P", "t_s", "t_m", "chi", "lam_m"];
const REGIME_WORDS = { labor: "labor-compression", asset: "asset-dominance" };

const S = {
  params: null, levers: null, presets: null, keyToName: {}, nameToKey: {},
  scenarioValues: {},        // key -> value of the chosen scenario preset
  presetLevers: {},          // lever -> field -> value of the chosen policy preset
  state: null,               // the shared state (see readUrl)
  B: null,                   // pinned state B
  results: {}, resultsB: {}, agents: null, seq: 0,
};

const $ = (id) => document.getElementById(id);
async function api(path, body, method) {
  const opts = body === undefined ? { method: method || "GET" }
    : { method: method || "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(API + path, opts);
  const data = await r.json();
  if (!r.ok) {
    const msg = data.error || (Array.isArray(data.detail) ? data.detail.map((d) => d.msg).join("; ") : data.detail);
    throw new Error(msg);
  }
  return data;
}

/* ---------------------------------------------------------------- state and the URL */
function defaultState() {
  return { scenario: "baseline", policy: "", set: {}, levers: {}, years: 100, bif: "abar",
           occ: "43-4051", wp: 50, wealth: 50000, hh: 20000, hhYears: 50, seed: 2025 };
}

function readUrl() {
  const q = new URLSearchParams(location.search);
  const st = defaultState();
  for (const [k, v] of q.entries()) {
    if (k === "v") continue;
    if (k === "scenario") st.scenario = v;
    else if (k === "policy") st.policy = v;
    else if (k === "years") st.years = Number(v);
    else if (k === "bif") st.bif = v;
    else if (k === "occ") st.occ = v;
    else if (k === "wp") st.wp = Number(v);
    else if (k === "wealth") st.wealth = Number(v);
    else if (k === "households") st.hh = Number(v);
    else if (k === "hhyears") st.hhYears = Number(v);
    else if (k === "seed") st.seed = Number(v);
    else if (k.startsWith("b.")) { st.B = st.B || {}; st.B[k.slice(2)] = v; }
    else if (k.includes(".")) {
      const [lever, field] = k.split(".", 2);
      (st.levers[lever] = st.levers[lever] || {})[field] = Number(v);
    } else st.set[k] = Number(v);
  }
  return st;
}

function stateQuery(st, prefix = "") {
  const q = [];
  const add = (k, v) => q.push([prefix + k, String(v)]);
  add("scenario", st.scenario);
  for (const [k, v] of Object.entries(st.set)) add(k, v);
  if (st.policy) add("policy", st.policy);
  for (const [lv, fields] of Object.entries(st.levers))
    for (const [f, v] of Object.entries(fields)) add(`${lv}.${f}`, v);
  if (!prefix) {
    if (st.years !== 100) add("years", st.years);
    if (st.bif !== "abar") add("bif", st.bif);
    add("occ", st.occ); add("wp", st.wp); add("wealth", st.wealth);
  }
  return q;
}

function linkFor(st) {
  const q = [["v", String(SCHEMA_VERSION)], ...stateQuery(st)];
  if (S.B) q.push(...stateQuery(S.B, "b."));
  return location.origin + "/?" + q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")
    .replace(/%2C/g, ",");
}

function stateFromB(flat) {
  const st = defaultState();
  st.scenario = flat.scenario || "baseline";
  st.policy = flat.policy || "";
  for (const [k, v] of Object.entries(flat)) {
    if (k === "scenario" || k === "policy") continue;
    if (k.includes(".")) { const [lv, f] = k.split(".", 2); (st.levers[lv] = st.levers[lv] || {})[f] = Number(v); }
    else st.set[k] = Number(v);
  }
  return st;
}

/* ---------------------------------------------------------------- requests from a state */
function policyPreset(name) { return S.presets.find((p) => p.kind === "policy" && p.name === name); }
function scenarioPreset(name) { return S.presets.find((p) => p.kind === "scenario" && p.name === name); }

function policyBody(st) {
  if (!st.policy && !Object.keys(st.levers).length) return null;
  if (st.policy && !Object.keys(st.levers).length) return st.policy;
  const pre = st.policy ? policyPreset(st.policy) : null;
  const base = pre ? JSON.parse(JSON.stringify(pre.settings)) : { levers: {} };
  delete base.scenario;   // the page always sends its scenario explicitly
  base.name = (pre ? pre.name : "custom") + (Object.keys(st.levers).length ? " (edited)" : "");
  base.levers = base.levers || {};
  for (const [lv, fields] of Object.entries(st.levers)) {
    if (lv === "package") { Object.assign(base, fields); continue; }
    base.levers[lv] = Object.assign({}, base.levers[lv] || {}, fields);
  }
  return base;
}

function requestOf(st) {
  return { scenario: st.scenario, set: Object.assign({}, st.set), policy: policyBody(st) };
}

/* ---------------------------------------------------------------- controls */
function paramValue(key) {
  if (key in S.state.set) return S.state.set[key];
  if (key in S.scenarioValues) return S.scenarioValues[key];
  return S.params[S.keyToName[key]].baseline;
}

function sliderRange(info, value) {
  let [lo, hi] = info.plausible || info.allowed;
  if (value != null) { lo = Math.min(lo, value); hi = Math.max(hi, value); }
  lo = Math.max(lo, info.allowed[0]); hi = Math.min(hi, info.allowed[1]);
  return [lo, hi];
}

function paramControl(key, slider) {
  const info = S.params[S.keyToName[key]];
  const v = paramValue(key);
  const div = document.createElement("div");
  div.className = "param";
  const label = `${info.symbol} <span class="unit">[${info.unit}]</span> <small>${key}</small>`;
  const [lo, hi] = sliderRange(info, v);
  const step = (hi - lo) / 400;
  div.innerHTML = `<label title="${info.description.replace(/"/g, "&quot;")}">${label}</label>` +
    (slider ? `<input type="range" id="p-${key}" min="${lo}" max="${hi}" step="${step}">` : "") +
    ` <input type="number" id="n-${key}" min="${info.allowed[0]}" max="${info.allowed[1]}" step="any">`;
  const num = div.querySelector(`#n-${key}`);
  num.value = v == null ? "" : v;
  num.placeholder = v == null ? "calibrated" : "";
  const set = (x) => { S.state.set[key] = x; syncParam(key); schedule(); };
  num.addEventListener("change", () => { if (num.value !== "") set(Number(num.value)); });
  if (slider) {
    const r = div.querySelector(`#p-${key}`);
    r.value = v;
    r.addEventListener("input", () => set(Number(r.value)));
  }
  return div;
}

function syncParam(key) {
  const v = paramValue(key);
  const r = $(`p-${key}`), n = $(`n-${key}`);
  if (r) r.value = v;
  if (n && v != null) n.value = Number(v.toPrecision(6));
  const sv = key in S.scenarioValues ? S.scenarioValues[key] : S.params[S.keyToName[key]].baseline;
  if (key in S.state.set && S.state.set[key] === sv) delete S.state.set[key];
}

function buildParams() {
  const sl = $("sliders"), more = $("more-params");
  sl.innerHTML = ""; more.innerHTML = "";
  for (const key of SLIDERS) sl.appendChild(paramControl(key, true));
  for (const [name, info] of Object.entries(S.params))
    if (!SLIDERS.includes(info.key)) more.appendChild(paramControl(info.key, false));
}

function leverValue(lever, field) {
  const st = S.state.levers[lever];
  if (st && field in st) return st[field];
  const pre = S.presetLevers[lever];
  if (pre && field in pre) return pre[field];
  return null;
}

function buildLevers() {
  const root = $("levers"); root.innerHTML = "";
  const pre = S.state.policy ? policyPreset(S.state.policy) : null;
  S.presetLevers = pre ? (pre.settings.levers || {}) : {};
  const pkgYear = (S.state.levers.package || {}).enact_year ?? (pre && pre.settings.enact_year) ?? 2027;
  const pkgPhase = (S.state.levers.package || {}).phase_in ?? (pre && pre.settings.phase_in) ?? 5;
  $("package-years").innerHTML =
    `<label>Package enactment year <input type="number" id="l-package-enact_year" min="2025" max="2525" step="0.1" value="${pkgYear}"></label>` +
    `<label>Phase-in, years <input type="number" id="l-package-phase_in" min="0" max="100" step="0.5" value="${pkgPhase}"></label>`;
  for (const f of ["enact_year", "phase_in"])
    $(`l-package-${f}`).addEventListener("change", (e) => setLever("package", f, Number(e.target.value)));
  for (const [name, lv] of Object.entries(S.levers)) {
    const fs = document.createElement("fieldset");
    const active = Object.keys(lv.fields).some((f) => (leverValue(name, f) || 0) !== 0);
    if (active) fs.className = "active";
    let html = `<legend title="${lv.summary.replace(/"/g, "&quot;")}">${lv.title} <small>(${lv.family})</small></legend>`;
    for (const [f, info] of Object.entries(lv.fields)) {
      const v = leverValue(name, f);
      html += `<label>${info.symbol} ${f} <span class="unit">[${info.unit}]</span> ` +
        `<input type="number" id="l-${name}-${f}" min="${info.allowed[0]}" max="${info.allowed[1]}" step="any" value="${v == null ? info.baseline : v}"></label>`;
    }
    const ey = leverValue(name, "enact_year"), ph = leverValue(name, "phase_in");
    html += `<label>enacted in <input type="number" id="l-${name}-enact_year" min="2025" max="2525" step="0.1" placeholder="package" value="${ey == null ? "" : ey}"></label>`;
    html += `<label>phase-in, years <input type="number" id="l-${name}-phase_in" min="0" max="100" step="0.5" placeholder="package" value="${ph == null ? "" : ph}"></label>`;
    fs.innerHTML = html;
    fs.querySelectorAll("input").forEach((inp) => inp.addEventListener("change", () => {
      const f = inp.id.slice(`l-${name}-`.length);
      if (inp.value === "") { delete (S.state.levers[name] || {})[f]; schedule(); return; }
      setLever(name, f, Number(inp.value));
    }));
    root.appendChild(fs);
  }
}

function setLever(lever, field, value) {
  (S.state.levers[lever] = S.state.levers[lever] || {})[field] = value;
  schedule();
}

function applyScenarioPreset() {
  const pre = scenarioPreset(S.state.scenario);
  S.scenarioValues = {};
  const params = (pre && pre.settings.parameters) || {};
  for (const [k, v] of Object.entries(params)) S.scenarioValues[S.nameToKey[k] || k] = v;
}

/* ---------------------------------------------------------------- update cycle */
let timer = null;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(update, 120);
  history.replaceState(null, "", linkFor(S.state).slice(location.origin.length));
}

async function compute(st) {
  const req = requestOf(st);
  const [sim, reg] = await Promise.all([
    api("/simulate", Object.assign({ years: st.years }, req)), api("/regime", req)]);
  let win = null;
  if (req.policy) {
    try { win = await api("/window", req); } catch (e) { win = { error: e.message }; }
  }
  return { sim, reg, win, req };
}

async function update() {
  const seq = ++S.seq;
  const t0 = performance.now();
  $("status").textContent = "computing…";
  try {
    const a = await compute(S.state);
    const req = a.req;
    const [bif, map] = await Promise.all([
      api("/bifurcation", Object.assign({ param: S.state.bif }, req)),
      api("/map", Object.assign({ x: "rhoR", y: "abar", nx: 15, ny: 15, x_range: [0.01, 0.2], y_range: [0, 3] }, req)),
    ]);
    const b = S.B ? await compute(S.B) : null;
    if (seq !== S.seq) return;   // a newer update is under way
    S.results = Object.assign(a, { bif, map });
    S.resultsB = b;
    render();
    $("status").textContent = `updated in ${Math.round(performance.now() - t0)} ms`;
    document.body.dataset.ready = String(seq);
  } catch (e) {
    if (seq !== S.seq) return;
    $("status").textContent = "error: " + e.message;
    document.body.dataset.ready = String(seq);
  }
}

/* ---------------------------------------------------------------- the headline */
function lockInYear(sim) {
  const s = sim.path.top1_share, t = sim.path.t, su = sim.saddle_top1_share;
  if (su == null) return null;
  for (let i = 0; i < s.length; i++) if (s[i] > su) return BASE_YEAR + t[i];
  return null;
}

function headline(r, st) {
  const sim = r.sim, reg = r.reg;
  const rho = paramValue("rhoR"), crit = reg.critical_retooling_rate;
  const regime = sim.selected_regime;
  const end = BASE_YEAR + sim.path.t[sim.path.t.length - 1];
  const parts = [];
  let rates = null;
  if (crit != null && reg.critical_retooling_status === "interior") rates = pctPair(rho, crit, 1);
  if (regime === "asset") {
    const y = lockInYear(sim);
    parts.push(y != null ? `Locks in by ${y.toFixed(0)}` : `Locks in after ${end}`);
    const fixes = [];
    if (rates) fixes.push(`retool faster than ${rates[1]}%/yr (now ${rates[0]}%/yr)`);
    const w = r.win;
    if (w && w.status === "window" && w.latest_enactment_year != null)
      fixes.push(`enact ${policyLabel(st)} before ${windowEdge(w)}`);
    if (fixes.length) parts.push(" — " + fixes.join(" or "));
  } else if (regime === "labor") {
    parts.push("Stays in the labor regime");
    const w = r.win;
    if (rates && rho > crit)
      parts.push(`: retooling at ${rates[0]}%/yr beats the critical ${rates[1]}%/yr`);
    else if (rates && st.policy)
      parts.push(`: retooling at ${rates[0]}%/yr is below the critical ${rates[1]}%/yr without a ` +
        `package, so ${policyLabel(st)} is what keeps the labor regime`);
    else if (rates)
      parts.push(`: retooling at ${rates[0]}%/yr, critical rate ${rates[1]}%/yr`);
    else parts.push(`: ${reg.critical_retooling_message}`);
    if (w && w.status === "window" && w.latest_enactment_year != null)
      parts.push(`; ${policyLabel(st)} must be enacted before ${windowEdge(w)}`);
  } else parts.push("Regime undetermined (the integration did not settle)");
  parts.push(`; top-1% wealth share ${share(sim.final.top1_share)} in ${end}.`);
  return parts.join("");
}

/* a finished experiment store in words (the same summary as `twochannel experiment report`) */
function storeSummary(s) {
  const lines = [`Experiment '${s.name}' (${s.engine}, ${s.sampler}): ${s.n_runs} runs, ${s.n_failed} failed.`];
  if (s.lockin_probability != null) {
    const ci = s.lockin_ci95 ? ` (95% CI ${s.lockin_ci95[0].toFixed(3)}–${s.lockin_ci95[1].toFixed(3)})` : "";
    lines.push(`Probability of lock-in: ${s.lockin_probability.toFixed(3)}${ci}.`);
  }
  if (s.sobol) lines.push("Sobol total-order indices: " + Object.entries(s.sobol)
    .map(([k, v]) => `${k} ${v.ST.toFixed(2)} ± ${v.ST_conf.toFixed(2)}`).join(", ") + ".");
  if (s.morris) lines.push("Morris μ*: " + Object.entries(s.morris)
    .map(([k, v]) => `${k} ${v.mu_star.toPrecision(3)}`).join(", ") + ".");
  return lines.join("\n");
}

/* the window's edge at the precision the library reports it (its own text when given) */
function windowEdge(w) {
  return w.latest_enactment_year_text || yearPm(w.latest_enactment_year, w.resolution);
}

function policyLabel(st) { return st.policy ? `the ${st.policy} package` : "the package"; }

/* ---------------------------------------------------------------- rendering */
const LAYOUT = { margin: { l: 50, r: 10, t: 44, b: 40 }, legend: { orientation: "h", y: -0.2 }, font: { size: 11 } };
const CONFIG = { displaylogo: false, responsive: true, displayModeBar: "hover" };

function render() {
  const r = S.results, sim = r.sim, reg = r.reg;
  const years = sim.path.t.map((t) => BASE_YEAR + t);
  const h = $("headline");
  h.textContent = headline(r, S.state);
  h.className = "headline " + sim.selected_regime;
  h.dataset.regime = sim.selected_regime;
  const rho = paramValue("rhoR");
  const [rs, cs] = reg.critical_retooling_rate != null ? pctPair(rho, reg.critical_retooling_rate, 1) : [(100 * rho).toFixed(1), "—"];
  $("v-regime").textContent = sim.selected_regime;
  $("v-existence").textContent = sim.regime_existence;
  $("v-rhoR").textContent = `${rs}%/yr`;
  $("v-crit").textContent = reg.critical_retooling_rate != null ? `${cs}%/yr` : reg.critical_retooling_message;
  $("v-final-top1").textContent = `${share(sim.final.top1_share, 4)} (${years[years.length - 1]})`;
  $("v-saddle").textContent = share(sim.saddle_top1_share, 4);
  $("v-sc").textContent = share(reg.sharp_limit.S_c, 4);
  $("v-window").textContent = windowText(r.win);
  $("window-text").textContent = r.win ? (r.win.error ? "error: " + r.win.error : r.win.sentence) :
    "Choose a policy package to see until when it still keeps the labor regime.";
  $("numbers-scenario").textContent = `(${S.state.scenario}${S.state.policy ? " + " + S.state.policy : ""})`;
  drawTop1(years, sim, reg);
  drawSeries("chart-power", years, sim, [["labor_power", "labor power P"], ["retooled_share", "retooled share h"]],
    "Labor power and retooling", "index / share");
  drawSeries("chart-output", years, sim, [["output_index", "output per worker (2025 = 1)"], ["wage_index", "wage per worker (2025 = 1)"]],
    "Output per worker vs wages", "index");
  drawMap(r.map);
  drawBif(r.bif);
  renderCompare();
}

function windowText(w) {
  if (!w) return "no package";
  if (w.error) return "error: " + w.error;
  if (w.status === "window" && w.latest_enactment_year != null) return `enact by ${windowEdge(w)}`;
  return w.status;
}

function drawTop1(years, sim, reg) {
  const traces = [{ x: years, y: sim.path.top1_share, name: "top-1% share (A)", line: { color: "#1565c0" } }];
  if (S.resultsB) {
    const b = S.resultsB.sim;
    traces.push({ x: b.path.t.map((t) => BASE_YEAR + t), y: b.path.top1_share, name: "top-1% share (B)", line: { color: "#ef6c00", dash: "dash" } });
  }
  if (S.agents) {
    const p = S.agents.path;
    traces.push({ x: p.t.map((t) => BASE_YEAR + t), y: p.top1_share, name: "households (A)", line: { color: "#6a1b9a", dash: "dot" } });
  }
  const x0 = years[0], x1 = years[years.length - 1];
  if (sim.saddle_top1_share != null)
    traces.push({ x: [x0, x1], y: [sim.saddle_top1_share, sim.saddle_top1_share], name: "saddle S_u", mode: "lines", line: { color: "#c62828", dash: "dash", width: 1 } });
  traces.push({ x: [x0, x1], y: [reg.sharp_limit.S_c, reg.sharp_limit.S_c], name: "tipping threshold S_c", mode: "lines", line: { color: "#555", dash: "dot", width: 1 } });
  Plotly.react("chart-top1", traces, Object.assign({}, LAYOUT, {
    title: { x: 0.01, xanchor: "left", font: { size: 12 }, text: `Top-1% wealth share — ${sim.selected_regime} regime` },
    yaxis: { title: "share of net worth" } }), CONFIG);
  $("chart-top1").dataset.regime = sim.selected_regime;
}

function drawSeries(id, years, sim, keys, title, ytitle) {
  const traces = keys.map(([k, name]) => ({ x: years, y: sim.path[k], name }));
  Plotly.react(id, traces, Object.assign({}, LAYOUT, { title: { x: 0.01, xanchor: "left", font: { size: 12 }, text: title }, yaxis: { title: ytitle } }), CONFIG);
}

function drawMap(m) {
  const z = m.selected.map((row) => row.map((c) => (c === 0 ? 0 : 1)));
  const text = m.existence.map((row) => row.map((c) => m.existence_labels[c]));
  const traces = [{
    type: "heatmap", x: m.x_values, y: m.y_values, z, text, zmin: 0, zmax: 1, showscale: false,
    colorscale: [[0, "#a5d6a7"], [1, "#ef9a9a"]], hovertemplate: "ρ_R %{x:.3f}, ā %{y:.2f}: %{text}<extra></extra>",
  }, {
    x: [paramValue("rhoR")], y: [paramValue("abar")], mode: "markers", name: "current point",
    marker: { size: 12, color: "#000", symbol: "x" },
  }];
  Plotly.react("chart-map", traces, Object.assign({}, LAYOUT, {
    title: { x: 0.01, xanchor: "left", font: { size: 12 }, text: S.state.policy ? "Selected regime without the package (green labor, red asset)" : "Selected regime (green labor, red asset)" },
    xaxis: { title: "retooling rate ρ_R [1/yr]" }, yaxis: { title: "long-run AI level ā" } }), CONFIG);
}

function drawBif(b) {
  const colors = { labor: "#2e7d32", saddle: "#9e9e9e", asset: "#c62828" };
  const traces = ["labor", "saddle", "asset"].map((k) => {
    const idx = b.branches.kind.map((x, i) => (x === k ? i : -1)).filter((i) => i >= 0);
    return { x: idx.map((i) => b.branches.value[i]), y: idx.map((i) => b.branches.top1_share[i]),
      mode: "markers", name: k === "saddle" ? "saddle (unstable)" : `${k} regime`, marker: { size: 4, color: colors[k] } };
  });
  const key = S.params[b.param] ? S.params[b.param].key : b.param;
  const cur = paramValue(key);
  if (cur != null) traces.push({ x: [cur, cur], y: [0, 1], mode: "lines", name: "current value", line: { color: "#000", dash: "dot", width: 1 } });
  Plotly.react("chart-bif", traces, Object.assign({}, LAYOUT, {
    title: { x: 0.01, xanchor: "left", font: { size: 12 }, text: `Bifurcation over ${b.symbol}` }, xaxis: { title: b.symbol }, yaxis: { title: "long-run top-1% share", range: [0, 1] } }), CONFIG);
}

function renderCompare() {
  const t = $("compare-table");
  if (!S.resultsB) { t.innerHTML = "<tr><td>Pin a state as B to compare.</td></tr>"; return; }
  const row = (label, f) => `<tr><th>${label}</th><td>${f(S.results)}</td><td>${f(S.resultsB)}</td></tr>`;
  const crit = (r) => (r.reg.critical_retooling_rate == null ? "—" : (100 * r.reg.critical_retooling_rate).toFixed(2) + "%/yr");
  t.innerHTML = "<tr><th></th><th>A (current)</th><th>B (pinned)</th></tr>" +
    row("scenario / policy", (r) => `${r.req.scenario} / ${r.req.policy ? (typeof r.req.policy === "string" ? r.req.policy : r.req.policy.name) : "none"}`) +
    row("selected regime", (r) => r.sim.selected_regime) +
    row("top-1% share, final", (r) => share(r.sim.final.top1_share, 4)) +
    row("ρ_R^crit", crit) +
    row("lock-in window", (r) => windowText(r.win));
}

/* ---------------------------------------------------------------- jobs */
async function runJob(body, bar, pct, eta, cancelBtn) {
  const job = await api("/jobs", body);
  let cur = job;
  if (cancelBtn) { cancelBtn.disabled = false; cancelBtn.onclick = () => api(`/jobs/${job.id}`, undefined, "DELETE"); }
  while (["queued", "running"].includes(cur.status)) {
    await new Promise((res) => setTimeout(res, 250));
    cur = await api(`/jobs/${job.id}`);
    bar.value = cur.progress;
    pct.textContent = `${Math.round(100 * cur.progress)}%`;
    if (eta) eta.textContent = cur.eta_s == null ? "" : `ETA ${cur.eta_s.toFixed(1)} s`;
  }
  if (cancelBtn) cancelBtn.disabled = true;
  bar.value = cur.progress;
  pct.textContent = `${Math.round(100 * cur.progress)}%` + (cur.cached ? " (cached)" : "");
  if (eta) eta.textContent = cur.status === "done" ? `done in ${(cur.elapsed_s || 0).toFixed(1)} s` : cur.status;
  if (cur.status === "failed") throw new Error(cur.error);
  return cur;
}

async function runHouseholds() {
  const st = S.state;
  st.hh = Number($("hh-n").value); st.hhYears = Number($("hh-years").value); st.seed = Number($("hh-seed").value);
  const body = Object.assign({ kind: "simulate", engine: "agents", households: st.hh, years: st.hhYears, seed: st.seed }, requestOf(st));
  $("hh-result").textContent = "";
  try {
    const job = await runJob(body, $("hh-bar"), $("hh-pct"), $("hh-eta"), $("hh-cancel"));
    if (job.status !== "done") { $("hh-result").textContent = `job ${job.status}`; return; }
    S.agents = job.result;
    const f = job.result.final;
    $("hh-result").textContent = `${job.result.households.toLocaleString()} households, seed ${job.result.seed}: ` +
      `${job.result.selected_regime} regime; top-1% wealth share ${share(f.top1_share)}, wealth Gini ${share(f.gini_wealth)} in ${BASE_YEAR + st.hhYears}.`;
    render();
  } catch (e) { $("hh-result").textContent = "error: " + e.message; }
}

const DEC_OUTCOMES = { gini_income: "income Gini", top10_income_share: "top-10% income share",
  p90_p10_income: "P90/P10 of income", top1_share: "top-1% wealth share", gini_wealth: "wealth Gini" };

async function runDecompose() {
  const st = S.state;
  st.hh = Number($("hh-n").value); st.hhYears = Number($("hh-years").value); st.seed = Number($("hh-seed").value);
  const body = Object.assign({ kind: "decompose", households: st.hh, years: st.hhYears, seed: st.seed }, requestOf(st));
  $("dec-headline").textContent = ""; $("dec-table").innerHTML = "";
  try {
    const job = await runJob(body, $("dec-bar"), $("dec-pct"), $("dec-eta"), $("dec-cancel"));
    if (job.status !== "done") { $("dec-headline").textContent = `job ${job.status}`; return; }
    const d = job.result;
    $("dec-headline").textContent = d.headline;
    const f = (x) => (x >= 0 ? "+" : "") + x.toFixed(4);
    $("dec-table").innerHTML = "<tr><th>outcome</th><th>effect of AI</th><th>labor channel</th>" +
      "<th>asset channel</th><th>interaction</th></tr>" + Object.entries(DEC_OUTCOMES).map(([k, label]) =>
      `<tr><td>${label}</td><td>${f(d[k].total)}</td><td>${f(d[k].labor_channel)}</td>` +
      `<td>${f(d[k].asset_channel)}</td><td>${f(d[k].interaction)}</td></tr>`).join("");
  } catch (e) { $("dec-headline").textContent = "error: " + e.message; }
}

async function runOutlook() {
  const st = S.state;
  st.occ = $("occ-search").value.split(" ")[0]; st.wp = Number($("wage-pct").value); st.wealth = Number($("wealth").value);
  const body = Object.assign({ kind: "outlook", occupation: st.occ, wage_percentile: st.wp, wealth: st.wealth,
    households: 5000, years: 50, replicas: 300 }, requestOf(st));
  schedule();
  try {
    const job = await runJob(body, $("ol-bar"), $("ol-pct"), null, null);
    const o = job.result;
    const yrs = o.years;
    const band = (v, color, name) => [
      { x: yrs, y: o[v].p90, line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      { x: yrs, y: o[v].p10, fill: "tonexty", fillcolor: color, line: { width: 0 }, name: `${name} 10–90%` },
      { x: yrs, y: o[v].median, name: `${name} median`, line: { color: color.replace("0.25", "1") } }];
    Plotly.react("chart-fan", [...band("wealth_percentile", "rgba(198,40,40,0.25)", "wealth pctl"),
      ...band("income_percentile", "rgba(21,101,192,0.25)", "income pctl")],
      Object.assign({}, LAYOUT, { title: { x: 0.01, xanchor: "left", font: { size: 12 }, text: `Your outlook: ${o.person.title}` }, yaxis: { title: "percentile", range: [0, 100] } }), CONFIG);
    const last = yrs.length - 1;
    $("outlook-text").textContent = `${o.person.title} (${o.person.occupation}), wage P${o.person.wage_percentile}: ` +
      `in ${yrs[last]} median wealth percentile ${o.wealth_percentile.median[last].toFixed(0)}, income percentile ${o.income_percentile.median[last].toFixed(0)}.`;
  } catch (e) { $("outlook-text").textContent = "error: " + e.message; }
}

async function runStrategies() {
  // the personal strategy lens (docs/outlook.md §6): every strategy on the same shocks
  const st = S.state;
  st.occ = $("occ-search").value.split(" ")[0]; st.wp = Number($("wage-pct").value); st.wealth = Number($("wealth").value);
  const body = Object.assign({ kind: "outlook", strategies: true, occupation: st.occ, wage_percentile: st.wp,
    wealth: st.wealth, households: 5000, years: 50, replicas: 300 }, requestOf(st));
  schedule();
  try {
    const job = await runJob(body, $("ol-bar"), $("ol-pct"), null, null);
    const o = job.result;
    const traces = o.strategies.map((s) => ({ x: s.income_percentile.map((r) => r.year),
      y: s.income_percentile.map((r) => r.p50), name: s.name }));
    Plotly.react("chart-fan", traces, Object.assign({}, LAYOUT, { title: { x: 0.01, xanchor: "left",
      font: { size: 12 }, text: `Strategies: ${o.person.title} (median income percentile)` },
      yaxis: { title: "income percentile", range: [0, 100] } }), CONFIG);
    const cell = (r) => `${r.p50.toFixed(0)} (${r.p10.toFixed(0)}–${r.p90.toFixed(0)})`;
    $("strategies-table").innerHTML = "<tr><th>strategy</th><th>income pctl, end</th><th>wealth pctl, end</th></tr>" +
      o.strategies.map((s) => `<tr><td>${s.name}</td><td>${cell(s.income_percentile.at(-1))}</td>` +
        `<td>${cell(s.wealth_percentile.at(-1))}</td></tr>`).join("");
    const f = (x) => (x >= 0 ? "+" : "") + x.toFixed(1);
    $("moves-table").innerHTML = "<tr><th>what moves you up most</th><th>instead of</th><th>income pts</th><th>wealth pts</th></tr>" +
      o.moves.map((m) => `<tr><td>${m.choice}</td><td>${m.instead_of}</td><td>${f(m.mean_income_percentile_points)}</td>` +
        `<td>${f(m.mean_wealth_percentile_points)}</td></tr>`).join("");
    $("outlook-text").textContent = `${o.person.title} (${o.person.occupation}), wage P${o.person.wage_percentile}: ` +
      `the largest gain is "${o.moves[0].choice}" instead of "${o.moves[0].instead_of}".`;
  } catch (e) { $("outlook-text").textContent = "error: " + e.message; }
}

async function runCompare() {
  const a = requestOf(S.state);
  if (!a.policy) { $("compare-text").textContent = "Choose a policy package for A (the reform) first."; return; }
  const body = { kind: "compare", reform: a.policy, baseline: S.B ? requestOf(S.B).policy : null,
    scenario: a.scenario, set: a.set, households: 2000, years: 50 };
  $("compare-text").textContent = "running…";
  try {
    const job = await runJob(body, $("ol-bar"), $("ol-pct"), null, null);
    $("compare-text").textContent = job.result.sentence;
  } catch (e) { $("compare-text").textContent = "error: " + e.message; }
}

/* ---------------------------------------------------------------- downloads */
function download(name, text, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name; a.click();
}

function csvOf(sim) {
  const keys = Object.keys(sim.path).filter((k) => k !== "t");
  const rows = [["year", "t", ...keys].join(",")];
  sim.path.t.forEach((t, i) => rows.push([BASE_YEAR + t, t, ...keys.map((k) => sim.path[k][i])].join(",")));
  return rows.join("\n") + "\n";
}

function tomlValue(v) { return typeof v === "string" ? JSON.stringify(v) : String(v); }

function scenarioToml(st) {
  const pre = scenarioPreset(st.scenario);
  const params = Object.assign({}, (pre && pre.settings.parameters) || {});
  const lines = [`name = ${tomlValue(st.scenario + (Object.keys(st.set).length ? "-edited" : ""))}`,
    `description = "Made in the twochannel playground from the '${st.scenario}' preset."`];
  if (pre && pre.settings.horizon) lines.push(`horizon = ${pre.settings.horizon}`);
  lines.push("", "[parameters]");
  const merged = {};
  for (const [k, v] of Object.entries(params)) merged[S.nameToKey[k] || k] = v;
  Object.assign(merged, st.set);
  for (const [k, v] of Object.entries(merged)) lines.push(`${k} = ${tomlValue(v)}`);
  const ai = (pre && pre.settings.ai_path) || { kind: "logistic" };
  lines.push("", "[ai_path]");
  for (const [k, v] of Object.entries(ai)) lines.push(`${k} = ${Array.isArray(v) ? "[" + v.join(", ") + "]" : tomlValue(v)}`);
  return lines.join("\n") + "\n";
}

function policyToml(st) {
  const p = policyBody(st);
  if (p == null) return null;
  const body = typeof p === "string" ? JSON.parse(JSON.stringify(policyPreset(p).settings)) : p;
  const lines = [`name = ${tomlValue(body.name || st.policy)}`];
  for (const k of ["enact_year", "phase_in"]) if (body[k] != null) lines.push(`${k} = ${body[k]}`);
  for (const [lv, fields] of Object.entries(body.levers || {})) {
    lines.push("", `[levers.${lv}]`);
    for (const [f, v] of Object.entries(fields)) lines.push(`${f} = ${v}`);
  }
  return lines.join("\n") + "\n";
}

function cliCommand(st) {
  const parts = ["twochannel simulate", `--scenario ${st.scenario}`];
  for (const [k, v] of Object.entries(st.set)) parts.push(`--set ${k}=${v}`);
  let prefix = "";
  const p = policyBody(st);
  if (typeof p === "string") parts.push(`--policy ${p}`);
  else if (p) { prefix = `cat > policy.toml <<'EOF'\n${policyToml(st)}EOF\n`; parts.push("--policy policy.toml"); }
  parts.push(`--years ${st.years}`, "--json");
  return prefix + parts.join(" ");
}

async function copy(text, what) {
  document.body.dataset.copied = text;   // read by the browser tests
  try { await navigator.clipboard.writeText(text); $("status").textContent = `${what} copied`; }
  catch (e) { $("status").textContent = `${what}: ${text}`; }
}

/* ---------------------------------------------------------------- start */
function fillSelects() {
  const sc = $("scenario"), po = $("policy");
  for (const p of S.presets) {
    const o = document.createElement("option");
    o.value = p.name; o.textContent = p.name; o.title = p.description;
    (p.kind === "scenario" ? sc : po).appendChild(o);
  }
  sc.value = S.state.scenario; po.value = S.state.policy;
  sc.addEventListener("change", () => { S.state.scenario = sc.value; S.state.set = {}; applyScenarioPreset(); buildParams(); schedule(); });
  po.addEventListener("change", () => {
    S.state.policy = po.value; S.state.levers = {};
    const pre = policyPreset(po.value);
    if (pre && pre.settings.scenario && pre.settings.scenario !== S.state.scenario) {
      S.state.scenario = pre.settings.scenario; sc.value = pre.settings.scenario;
      S.state.set = {}; applyScenarioPreset(); buildParams();
      $("status").textContent = `the package is written for the '${pre.settings.scenario}' scenario`;
    }
    buildLevers(); schedule();
  });
}

function wire() {
  $("years").value = S.state.years;
  $("years").addEventListener("change", () => { S.state.years = Number($("years").value); schedule(); });
  $("bif-param").value = S.state.bif;
  $("bif-param").addEventListener("change", () => { S.state.bif = $("bif-param").value; schedule(); });
  $("reset").addEventListener("click", () => { location.href = "/"; });
  $("copy-link").addEventListener("click", () => copy(linkFor(S.state), "link"));
  $("copy-cli").addEventListener("click", () => copy(cliCommand(S.state), "CLI command"));
  $("dl-csv").addEventListener("click", () => download("twochannel-path.csv", csvOf(S.results.sim), "text/csv"));
  $("dl-json").addEventListener("click", () => download("twochannel-result.json", JSON.stringify(
    { link: linkFor(S.state), request: S.results.req, simulate: S.results.sim, regime: S.results.reg, window: S.results.win }, null, 1), "application/json"));
  $("dl-toml").addEventListener("click", () => download("scenario.toml", scenarioToml(S.state), "application/toml"));
  $("dl-policy").addEventListener("click", () => { const t = policyToml(S.state); if (t) download("policy.toml", t, "application/toml"); });
  $("set-b").addEventListener("click", () => { S.B = JSON.parse(JSON.stringify(S.state)); schedule(); });
  $("clear-b").addEventListener("click", () => { S.B = null; schedule(); });
  $("run-compare").addEventListener("click", runCompare);
  $("run-hh").addEventListener("click", runHouseholds);
  $("run-dec").addEventListener("click", runDecompose);
  $("run-outlook").addEventListener("click", runOutlook);
  $("run-strategies").addEventListener("click", runStrategies);
  $("hh-n").value = S.state.hh; $("hh-years").value = S.state.hhYears; $("hh-seed").value = S.state.seed;
  $("occ-search").value = S.state.occ; $("wage-pct").value = S.state.wp; $("wealth").value = S.state.wealth;
  let occTimer = null;
  $("occ-search").addEventListener("input", () => {
    clearTimeout(occTimer);
    occTimer = setTimeout(async () => {
      const r = await api(`/occupations?q=${encodeURIComponent($("occ-search").value)}&limit=20`);
      $("occ-list").innerHTML = r.occupations.map((o) => `<option value="${o.soc} ${o.title}">`).join("");
    }, 200);
  });
}

async function start() {
  const [params, levers, presets, health] = await Promise.all([api("/params"), api("/levers"), api("/presets"), api("/health")]);
  S.params = params; S.levers = levers; S.presets = presets.presets;
  for (const [name, info] of Object.entries(params)) { S.keyToName[info.key] = name; S.nameToKey[name] = info.key; }
  $("version").textContent = health.version;
  S.state = readUrl();
  if (S.state.B) { S.B = stateFromB(S.state.B); delete S.state.B; }
  fillSelects(); applyScenarioPreset(); buildParams(); buildLevers(); wire();
  if (health.store) {
    $("store-section").hidden = false;
    api("/store").then((s) => { $("store").textContent = storeSummary(s); }).catch((e) => { $("store").textContent = e.message; });
  }
  await update();
}

start();
