// The playground: builds its controls from GET /v1/models and streams every pane through the
// public completions API. Only this server is ever contacted.
import {
  accountingRows, alignmentFor, chartPoints, chunkContent, controlFor, errorMessage, paneStats,
  parseSse, requestFor, rewardOf, sweepValues,
} from "./controls.js";

const $ = (id) => document.getElementById(id);
const KEY = "trimtab.apiKey";
const state = { models: [], settings: [], controller: null };

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

function headers() {
  const key = $("api-key").value.trim();
  const result = { "content-type": "application/json" };
  if (key) result.authorization = `Bearer ${key}`;
  return result;
}

function model() {
  return state.models.find((m) => m.id === $("model").value);
}

function fieldsOf(strategy) {
  return model()?.strategy_parameters?.[strategy] ?? [];
}

async function loadModels() {
  $("status").textContent = "loading models…";
  try {
    const response = await fetch("/v1/models", { headers: headers() });
    const text = await response.text();
    if (!response.ok) throw new Error(errorMessage(response.status, text));
    state.models = JSON.parse(text).data;
    const previous = $("model").value;
    $("model").replaceChildren(...state.models.map((m) => el("option", { value: m.id, textContent: m.id })));
    if (state.models.some((m) => m.id === previous)) $("model").value = previous;
    $("status").textContent = "";
    resetSettings();
  } catch (error) {
    $("status").textContent = error.message;
  }
}

/** Starts over with one aligned pane: the model's first strategy other than none. */
function resetSettings() {
  const strategies = (model()?.strategies ?? []).filter((s) => s !== "none");
  state.settings = strategies.length ? [newSetting(strategies.includes("dera") ? "dera" : strategies[0])] : [];
  renderSettings();
  renderSweepSettings();
}

function newSetting(strategy) {
  const values = {};
  for (const field of fieldsOf(strategy)) values[field.name] = controlFor(field).value;
  // optional numbers without a default (τ) start unset: the strategy's own behaviour
  for (const field of fieldsOf(strategy)) {
    if (field.type === "number" && field.default === undefined && !field.required) values[field.name] = "";
  }
  return { strategy, values };
}

function renderSettings() {
  const strategies = (model()?.strategies ?? []).filter((s) => s !== "none");
  $("aligned-settings").replaceChildren(...state.settings.map((setting, index) => {
    const picker = el("select", { "data-role": "strategy" },
      ...strategies.map((s) => el("option", { value: s, textContent: s, selected: s === setting.strategy })));
    picker.addEventListener("change", () => {
      state.settings[index] = newSetting(picker.value);
      renderSettings();
    });
    const remove = el("button", { type: "button", textContent: "remove" });
    remove.addEventListener("click", () => {
      state.settings.splice(index, 1);
      renderSettings();
    });
    const controls = el("div", { class: "controls" },
      ...fieldsOf(setting.strategy).map((field) => renderControl(field, setting.values)));
    return el("div", { class: "setting", "data-index": String(index) },
      el("div", { class: "row" }, el("strong", { textContent: `Aligned pane ${index + 1}` }),
        el("label", {}, "strategy", picker), remove),
      controls);
  }));
}

function renderControl(field, values) {
  const control = controlFor(field);
  const title = control.description;
  const set = (value) => { values[field.name] = value; };
  switch (control.kind) {
    case "slider": {
      const current = values[field.name];
      const slider = el("input", {
        type: "range", min: control.min, max: control.max, step: control.step,
        value: current === "" ? control.value : current, title, "data-field": field.name,
      });
      const shown = el("output", { textContent: current === "" ? "unset" : String(current) });
      slider.addEventListener("input", () => {
        set(Number(slider.value));
        shown.textContent = slider.value;
      });
      return el("label", { title }, field.name, slider, shown);
    }
    case "number": {
      const input = el("input", { type: "number", step: 1, value: values[field.name], title, "data-field": field.name });
      if (control.min !== undefined) input.min = control.min;
      if (control.max !== undefined) input.max = control.max;
      input.addEventListener("input", () => set(input.value === "" ? "" : Number(input.value)));
      return el("label", { title }, field.name, input);
    }
    case "checkbox": {
      const box = el("input", { type: "checkbox", checked: !!values[field.name], title, "data-field": field.name });
      box.addEventListener("change", () => set(box.checked));
      return el("label", { title }, box, field.name);
    }
    case "select": {
      const select = el("select", { title, "data-field": field.name },
        ...control.options.map((o) => el("option", {
          value: o, textContent: o === "" ? "(server default)" : o, selected: o === values[field.name],
        })));
      select.addEventListener("change", () => set(select.value));
      return el("label", { title }, field.name, select);
    }
    case "weights": {
      const weights = values[field.name];
      const rows = Object.keys(weights).map((name) => {
        const slider = el("input", {
          type: "range", min: control.min, max: control.max, step: control.step, value: weights[name],
          "data-field": `${field.name}.${name}`,
        });
        const shown = el("output", { textContent: String(weights[name]) });
        slider.addEventListener("input", () => {
          weights[name] = Number(slider.value);
          shown.textContent = slider.value;
        });
        return el("label", { title: `weight of ${name}` }, `${field.name}.${name}`, slider, shown);
      });
      return el("span", { title }, ...rows);
    }
    default: {
      const input = el("input", { value: values[field.name] ?? "", title, "data-field": field.name });
      input.addEventListener("input", () => set(input.value));
      return el("label", { title }, field.name, input);
    }
  }
}

function sampling() {
  const number = (id) => ($(id).value === "" ? undefined : Number($(id).value));
  return { temperature: number("temperature"), top_p: number("top_p"), max_tokens: number("max_tokens"), seed: number("seed") };
}

function describe(alignment) {
  const { strategy, ...rest } = alignment;
  const shown = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`);
  return shown.length ? `${strategy} (${shown.join(", ")})` : strategy;
}

function newPane(title, alignment) {
  const pane = el("article", { class: "pane running", "data-strategy": alignment.strategy },
    el("h2", { textContent: title }),
    el("div", { class: "text" }),
    el("div", { class: "error" }),
    el("div", { class: "stats" }),
    el("div", { class: "accounting" }));
  return pane;
}

/** Streams one request into its pane; resolves with the pane's figures (never rejects). */
async function stream(pane, request, signal) {
  const part = (name) => pane.querySelector(`.${name}`);
  const figures = { start: performance.now(), tokensSeen: 0, text: "" };
  let finishReward;
  let alignment;
  let usage;
  try {
    const response = await fetch(request.path, {
      method: "POST", headers: headers(), body: JSON.stringify(request.body), signal,
    });
    if (!response.ok) throw new Error(errorMessage(response.status, await response.text()));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const parsed = parseSse(buffer + value);
      buffer = parsed.rest;
      for (const data of parsed.events) {
        if (data === "[DONE]") continue;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Error(chunk.error.message);
        const { text, reward } = chunkContent(chunk);
        if (text) {
          figures.firstToken ??= performance.now();
          figures.tokensSeen += 1;
          figures.text += text;
          part("text").textContent = figures.text;
        }
        if (reward !== undefined) finishReward = reward;
        if (chunk.alignment) alignment = chunk.alignment;
        if (chunk.usage) usage = chunk.usage;
      }
      showStats(pane, figures, usage);
    }
  } catch (error) {
    part("error").textContent = error.name === "AbortError" ? "stopped" : error.message;
    figures.error = error.message;
  }
  figures.end = performance.now();
  figures.reward = rewardOf(finishReward, alignment);
  figures.alignment = alignment;
  showStats(pane, figures, usage);
  showAccounting(pane, alignment, figures.reward);
  pane.classList.remove("running");
  pane.classList.add("done");
  return figures;
}

function showStats(pane, figures, usage) {
  const stats = paneStats({
    start: figures.start, firstToken: figures.firstToken, end: figures.end ?? performance.now(),
    completionTokens: usage?.completion_tokens, tokensSeen: figures.tokensSeen,
  });
  figures.tokens = stats.tokens;
  const parts = [`${stats.tokens} tokens`];
  if (stats.ttft !== undefined) parts.push(`first token ${stats.ttft.toFixed(0)} ms`);
  if (stats.rate !== undefined) parts.push(`${stats.rate.toFixed(1)} tokens/s`);
  pane.querySelector(".stats").textContent = parts.join(" · ");
}

function showAccounting(pane, alignment, reward) {
  const rows = accountingRows(alignment);
  const lines = rows.map((r) => `${r.name} (${r.role}): ${r.forwardPasses} passes, ${r.tokens} forward tokens, ${r.timeMs.toFixed(1)} ms`);
  if (alignment?.reward_scores) lines.push(`reward scores: ${alignment.reward_scores}`);
  if (reward !== undefined) lines.unshift(`reward ${reward.toFixed(4)}`);
  pane.querySelector(".accounting").replaceChildren(...lines.map((line) => el("div", { textContent: line })));
}

function forwardTokens(alignment) {
  return accountingRows(alignment).reduce((sum, row) => sum + (row.tokens ?? 0), 0);
}

async function runAll(jobs, container) {
  state.controller = new AbortController();
  $("generate").disabled = true;
  $("stop").disabled = false;
  $("status").textContent = "streaming…";
  const base = { model: $("model").value, mode: $("mode").value, prompt: $("prompt").value, sampling: sampling() };
  const panes = jobs.map((job) => newPane(job.title, job.alignment));
  container.replaceChildren(...panes);
  const results = await Promise.all(jobs.map((job, i) =>
    stream(panes[i], requestFor({ ...base, alignment: job.alignment }), state.controller.signal)));
  $("generate").disabled = false;
  $("stop").disabled = true;
  $("status").textContent = state.controller.signal.aborted ? "stopped" : "done";
  state.controller = null;
  return results;
}

async function generate() {
  if ($("view").value === "sweep") return sweep();
  const jobs = [{ title: "base (none)", alignment: { strategy: "none" } }];
  for (const setting of state.settings) {
    const alignment = alignmentFor(setting.strategy, fieldsOf(setting.strategy), setting.values);
    jobs.push({ title: describe(alignment), alignment });
  }
  await runAll(jobs, $("panes"));
}

function renderSweepSettings() {
  const strategies = (model()?.strategies ?? []).filter((s) => fieldsOf(s).some(sweepable));
  const previous = $("sweep-strategy").value;
  $("sweep-strategy").replaceChildren(...strategies.map((s) => el("option", { value: s, textContent: s })));
  if (strategies.includes(previous)) $("sweep-strategy").value = previous;
  else if (strategies.includes("dera")) $("sweep-strategy").value = "dera";
  renderSweepFields();
}

/** A number, or GenARM's weights (swept as the first ARM's weight). */
function sweepable(field) {
  return field.type === "number" || (field.type === "model_weights" && (field.models ?? []).length > 0);
}

function renderSweepFields() {
  const fields = fieldsOf($("sweep-strategy").value).filter(sweepable);
  $("sweep-field").replaceChildren(...fields.map((f) => el("option", { value: f.name, textContent: f.name })));
}

async function sweep() {
  const strategy = $("sweep-strategy").value;
  const fields = fieldsOf(strategy);
  const field = fields.find((f) => f.name === $("sweep-field").value);
  if (!field) {
    $("status").textContent = "this model serves no strategy with a numeric strength";
    return;
  }
  const strengths = sweepValues(Number($("sweep-from").value), Number($("sweep-to").value), Number($("sweep-steps").value));
  const defaults = newSetting(strategy).values;
  const jobs = strengths.map((strength) => {
    const values = { ...defaults };
    values[field.name] = field.type === "model_weights" ? { [field.models[0]]: strength } : strength;
    const alignment = alignmentFor(strategy, fields, values);
    if (field.type !== "model_weights") alignment[field.name] = strength;
    return { title: `${field.name} = ${strength}`, alignment };
  });
  const results = await runAll(jobs, $("sweep-panes"));
  const metric = $("sweep-metric").value;
  const pairs = results.map((r, i) => [strengths[i], metric === "reward" ? r.reward : forwardTokens(r.alignment)]);
  drawChart(pairs, metric === "reward" ? "reward" : "forward tokens", field.name);
}

function drawChart(pairs, yLabel, xLabel) {
  const svg = $("sweep-chart");
  const ns = "http://www.w3.org/2000/svg";
  const node = (tag, attributes, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const points = chartPoints(pairs, 460, 140);
  const children = [
    node("line", { x1: 0, y1: 140, x2: 460, y2: 140 }),
    node("line", { x1: 0, y1: 0, x2: 0, y2: 140 }),
    node("text", { x: 0, y: 170 }, `${xLabel}: ${pairs[0]?.[0]} … ${pairs.at(-1)?.[0]}`),
    node("text", { x: 300, y: 170 }, points ? yLabel : `${yLabel}: none in these answers`),
  ];
  if (points) {
    const ys = pairs.map(([, y]) => y).filter((y) => typeof y === "number" && Number.isFinite(y));
    children.push(node("text", { x: 4, y: 8 }, `max ${Math.max(...ys).toPrecision(4)}`));
    children.push(node("text", { x: 4, y: 136 }, `min ${Math.min(...ys).toPrecision(4)}`));
    children.push(node("polyline", { points }));
    for (const point of points.split(" ")) {
      const [cx, cy] = point.split(",");
      children.push(node("circle", { cx, cy, r: 3 }));
    }
  }
  svg.replaceChildren(...children);
}

function stop() {
  state.controller?.abort();
}

function switchView() {
  const sweeping = $("view").value === "sweep";
  $("sweep-settings").hidden = !sweeping;
  $("sweep").hidden = !sweeping;
  $("aligned-settings").hidden = sweeping;
  $("compare-actions").hidden = sweeping;
  $("panes").hidden = sweeping;
}

function init() {
  $("api-key").value = sessionStorage.getItem(KEY) ?? "";
  $("api-key").addEventListener("change", () => {
    sessionStorage.setItem(KEY, $("api-key").value.trim());
    loadModels();
  });
  $("model").addEventListener("change", resetSettings);
  $("view").addEventListener("change", switchView);
  $("sweep-strategy").addEventListener("change", renderSweepFields);
  $("add-pane").addEventListener("click", () => {
    const strategies = (model()?.strategies ?? []).filter((s) => s !== "none");
    if (strategies.length === 0) return;
    state.settings.push(newSetting(strategies[0]));
    renderSettings();
  });
  $("generate").addEventListener("click", generate);
  $("stop").addEventListener("click", stop);
  switchView();
  loadModels();
}

init();
