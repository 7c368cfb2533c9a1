// The playground's logic that needs no browser: controls from the server's parameter
// declarations, the alignment object they make, the SSE parser and the pane statistics.
// Pure functions, tested with `node --test` (server/src/test/js).

/** The range a slider gets when the server declares none: wide enough for DeRa's λ to extrapolate. */
export const UNBOUNDED_LOW = -2;
export const UNBOUNDED_HIGH = 4;

/**
 * A control for one declared field: slider for numbers, number input for integers, checkbox,
 * select for choices and models, a weights editor for model_weights.
 */
export function controlFor(field) {
  const base = { name: field.name, description: field.description ?? "", required: !!field.required };
  switch (field.type) {
    case "number":
      return { ...base, kind: "slider", ...sliderRange(field) };
    case "integer":
      return {
        ...base,
        kind: "number",
        min: finite(field.minimum),
        max: finite(field.maximum),
        step: 1,
        value: field.default ?? finite(field.minimum) ?? 1,
      };
    case "boolean":
      return { ...base, kind: "checkbox", value: field.default ?? false };
    case "choice":
      return { ...base, kind: "select", options: [...field.choices], value: field.default ?? field.choices[0] };
    case "model":
      // "" lets the server take its default (the only model of the kind)
      return { ...base, kind: "select", options: ["", ...(field.models ?? [])], value: "" };
    case "model_weights": {
      const models = field.models ?? [];
      const weights = Object.fromEntries(models.map((name, i) => [name, i === 0 ? 1 : 0]));
      return { ...base, kind: "weights", min: UNBOUNDED_LOW, max: UNBOUNDED_HIGH, step: 0.05, value: weights };
    }
    default:
      return { ...base, kind: "text", value: field.default ?? "" };
  }
}

/** A number's slider: the declared bounds, else [-2, 4] (from 0 when the minimum is 0). */
export function sliderRange(field) {
  let min = finite(field.minimum) ?? UNBOUNDED_LOW;
  let max = finite(field.maximum) ?? Math.max(UNBOUNDED_HIGH, min + UNBOUNDED_HIGH);
  const step = (max - min) / 200 >= 0.05 ? 0.05 : 0.01;
  if (field.exclusive_minimum && finite(field.minimum) !== undefined) min = roundTo(min + step, step);
  const fallback = field.default ?? (min <= 1 && max >= 1 ? 1 : min);
  return { min, max, step, value: fallback, optional: field.default === undefined && !field.required };
}

function finite(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function roundTo(value, step) {
  return Math.round(value / step) * step;
}

/**
 * The request's alignment object: the strategy and every value that differs from its declared
 * default (so a field another mode ignores is never sent); "" models and zero weights are left out.
 */
export function alignmentFor(strategy, fields, values) {
  const alignment = { strategy };
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined || value === null || value === "") continue;
    if (field.type === "model_weights") {
      const weights = Object.fromEntries(Object.entries(value).filter(([, w]) => Number(w) !== 0));
      if (Object.keys(weights).length > 0 || field.required) alignment[field.name] = weights;
      continue;
    }
    if (field.default !== undefined && value === field.default) continue;
    alignment[field.name] = value;
  }
  return alignment;
}

/** The completion or chat request for one pane; every pane of a run shares the sampling and seed. */
export function requestFor({ model, mode, prompt, sampling, alignment }) {
  const body = { model, stream: true, stream_options: { include_usage: true }, alignment };
  for (const key of ["temperature", "top_p", "max_tokens", "seed"]) {
    if (sampling[key] !== undefined && sampling[key] !== "" && !Number.isNaN(sampling[key])) body[key] = sampling[key];
  }
  if (mode === "chat") body.messages = [{ role: "user", content: prompt }];
  else body.prompt = prompt;
  return { path: mode === "chat" ? "/v1/chat/completions" : "/v1/completions", body };
}

/**
 * Splits a Server-Sent Events buffer into the data of its complete events and the unfinished rest.
 * Returns { events: [string], rest }; "[DONE]" is returned like any other data.
 */
export function parseSse(buffer) {
  const events = [];
  const blocks = buffer.replace(/\r\n/g, "\n").split("\n\n");
  const rest = blocks.pop();
  for (const block of blocks) {
    const data = block
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    if (data !== "") events.push(data);
  }
  return { events, rest };
}

/** The text a chunk adds (completion or chat) and the reward its choice carries, if any. */
export function chunkContent(chunk) {
  const choice = chunk.choices?.[0];
  if (!choice) return { text: "", reward: undefined };
  const text = choice.text ?? choice.delta?.content ?? "";
  return { text, reward: typeof choice.reward === "number" ? choice.reward : undefined };
}

/**
 * A pane's figures: time to first token, and tokens/s over the whole request (best-of-N sends its
 * chosen text in one burst once chosen, so a rate after the first token would mean nothing there).
 */
export function paneStats({ start, firstToken, end, completionTokens, tokensSeen }) {
  const tokens = completionTokens ?? tokensSeen;
  const ttft = firstToken === undefined ? undefined : firstToken - start;
  const seconds = (end - start) / 1000;
  const rate = tokens > 0 && seconds > 0 ? tokens / seconds : undefined;
  return { tokens, ttft, rate };
}

/** The forward-token accounting of a final chunk's alignment field, a row per model. */
export function accountingRows(alignment) {
  if (!alignment?.models) return [];
  return Object.entries(alignment.models).map(([name, m]) => ({
    name,
    role: m.role,
    forwardPasses: m.forward_passes,
    tokens: m.tokens,
    timeMs: m.time_ms,
  }));
}

/** The reward of the answer: the chosen choice's, else the chosen best-of-N candidate's. */
export function rewardOf(finishReward, alignment) {
  if (finishReward !== undefined) return finishReward;
  const round = alignment?.candidates?.[0];
  const chosen = round?.scored?.[round.chosen];
  return typeof chosen?.reward === "number" ? chosen.reward : undefined;
}

/** Evenly spaced strengths for a sweep, inclusive of both ends. */
export function sweepValues(min, max, count) {
  if (count < 2) return [min];
  return Array.from({ length: count }, (_, i) => Number((min + ((max - min) * i) / (count - 1)).toFixed(4)));
}

/** An SVG polyline's points for (x, y) pairs scaled into a width × height box; y grows upwards. */
export function chartPoints(pairs, width, height) {
  const usable = pairs.filter(([, y]) => typeof y === "number" && Number.isFinite(y));
  if (usable.length === 0) return "";
  const xs = usable.map(([x]) => x);
  const ys = usable.map(([, y]) => y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x) => (x1 === x0 ? width / 2 : ((x - x0) / (x1 - x0)) * width);
  const sy = (y) => (y1 === y0 ? height / 2 : height - ((y - y0) / (y1 - y0)) * height);
  return usable.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
}

/** The message of an OpenAI-shaped error body, else the status line. */
export function errorMessage(status, bodyText) {
  try {
    const message = JSON.parse(bodyText)?.error?.message;
    if (typeof message === "string") return message;
  } catch (_) {
    // not JSON: fall through to the status
  }
  return `HTTP ${status}${bodyText ? ": " + bodyText.slice(0, 200) : ""}`;
}
