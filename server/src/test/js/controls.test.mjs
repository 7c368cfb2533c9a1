// Unit tests of the playground's pure logic; run by PlaygroundScriptTest with `node --test`.
// CONTROLS names a copy of playground/controls.js saved as an ES module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";

const c = await import(pathToFileURL(process.env.CONTROLS).href);

const lambda = { name: "lambda", type: "number", default: 1.0, required: false, exclusive_minimum: false };
const tau = { name: "tau", type: "number", required: false, minimum: 0.0, exclusive_minimum: true };
const rate = { name: "rejection_rate", type: "number", default: 0.7, minimum: 0, maximum: 1, exclusive_minimum: false };
const n = { name: "n", type: "integer", default: 4, minimum: 1, maximum: 64, exclusive_minimum: false };
const mode = { name: "mode", type: "choice", default: "tokenwise", choices: ["tokenwise", "blockwise"] };
const model = { name: "aligned", type: "model", model_kind: "aligned", models: ["dpo"] };
const weights = { name: "weights", type: "model_weights", required: true, model_kind: "arms", models: ["positive", "concise"] };
const flag = { name: "return_all", type: "boolean", default: false };

test("an unbounded number gets a slider over [-2, 4] starting at its default", () => {
  const control = c.controlFor(lambda);
  assert.equal(control.kind, "slider");
  assert.deepEqual([control.min, control.max, control.value], [-2, 4, 1]);
});

test("declared bounds are the slider's; an exclusive minimum is stepped over", () => {
  const bounded = c.controlFor(rate);
  assert.deepEqual([bounded.min, bounded.max, bounded.value], [0, 1, 0.7]);
  const open = c.controlFor(tau);
  assert.ok(open.min > 0 && open.min <= 0.05, `min ${open.min}`);
  assert.equal(open.max, 4);
  assert.equal(open.optional, true);
});

test("integers are number inputs, choices and models selects, booleans checkboxes", () => {
  assert.deepEqual(
    (({ kind, min, max, step, value }) => ({ kind, min, max, step, value }))(c.controlFor(n)),
    { kind: "number", min: 1, max: 64, step: 1, value: 4 });
  assert.deepEqual(c.controlFor(mode).options, ["tokenwise", "blockwise"]);
  assert.deepEqual(c.controlFor(model).options, ["", "dpo"]);
  assert.equal(c.controlFor(flag).kind, "checkbox");
});

test("model weights get one weight per served model, the first at 1", () => {
  const control = c.controlFor(weights);
  assert.equal(control.kind, "weights");
  assert.deepEqual(control.value, { positive: 1, concise: 0 });
});

test("the alignment object sends only what differs from the defaults, and no zero weights", () => {
  const fields = [mode, lambda, n, model, tau];
  const values = { mode: "tokenwise", lambda: 2.5, n: 4, aligned: "", tau: "" };
  assert.deepEqual(c.alignmentFor("cd", fields, values), { strategy: "cd", lambda: 2.5 });
  assert.deepEqual(
    c.alignmentFor("genarm", [weights], { weights: { positive: 0.5, concise: 0 } }),
    { strategy: "genarm", weights: { positive: 0.5 } });
});

test("a chat request carries messages, a completion a prompt; both stream with usage", () => {
  const sampling = { temperature: 0.8, top_p: undefined, max_tokens: 5, seed: 7 };
  const chat = c.requestFor({ model: "tiny", mode: "chat", prompt: "hi", sampling, alignment: { strategy: "none" } });
  assert.equal(chat.path, "/v1/chat/completions");
  assert.deepEqual(chat.body.messages, [{ role: "user", content: "hi" }]);
  assert.equal(chat.body.stream_options.include_usage, true);
  assert.equal("top_p" in chat.body, false);
  const plain = c.requestFor({ model: "tiny", mode: "completion", prompt: "hi", sampling, alignment: { strategy: "none" } });
  assert.deepEqual([plain.path, plain.body.prompt, plain.body.seed], ["/v1/completions", "hi", 7]);
});

test("the SSE parser returns complete events and keeps the unfinished rest", () => {
  const { events, rest } = c.parseSse('data: {"a":1}\n\ndata: [DONE]\n\ndata: {"b"');
  assert.deepEqual(events, ['{"a":1}', "[DONE]"]);
  assert.equal(rest, 'data: {"b"');
  assert.deepEqual(c.parseSse(rest + ":2}\r\n\r\n").events, ['{"b":2}']);
});

test("chunks give their text (completion or chat) and reward", () => {
  assert.deepEqual(c.chunkContent({ choices: [{ text: "ab" }] }), { text: "ab", reward: undefined });
  assert.deepEqual(c.chunkContent({ choices: [{ delta: { content: "x" } }] }), { text: "x", reward: undefined });
  assert.deepEqual(c.chunkContent({ choices: [{ text: "", reward: -0.5 }] }), { text: "", reward: -0.5 });
  assert.deepEqual(c.chunkContent({ choices: [] }), { text: "", reward: undefined });
});

test("pane figures: time to first token and the rate over the whole request", () => {
  const stats = c.paneStats({ start: 0, firstToken: 100, end: 1100, completionTokens: 11, tokensSeen: 3 });
  assert.deepEqual(stats, { tokens: 11, ttft: 100, rate: 10 });
  assert.equal(c.paneStats({ start: 0, end: 5, tokensSeen: 0 }).ttft, undefined);
});

test("accounting rows and the reward of the chosen best-of-N candidate", () => {
  const alignment = {
    strategy: "best_of_n",
    models: { tiny: { role: "base", forward_passes: 4, tokens: 16, time_ms: 1.5 } },
    candidates: [{ chosen: 1, scored: [{ text: "a", reward: 0.1 }, { text: "b", reward: 0.9 }] }],
  };
  assert.deepEqual(c.accountingRows(alignment), [{ name: "tiny", role: "base", forwardPasses: 4, tokens: 16, timeMs: 1.5 }]);
  assert.equal(c.rewardOf(undefined, alignment), 0.9);
  assert.equal(c.rewardOf(0.3, alignment), 0.3);
  assert.equal(c.rewardOf(undefined, { strategy: "none", candidates: [] }), undefined);
});

test("sweep strengths span both ends; the chart scales into its box, y upwards", () => {
  assert.deepEqual(c.sweepValues(-1, 3, 5), [-1, 0, 1, 2, 3]);
  assert.equal(c.chartPoints([[0, 0], [1, 1], [2, undefined]], 100, 50), "0.0,50.0 100.0,0.0");
});

test("errors read as the server words them", () => {
  assert.equal(c.errorMessage(400, '{"error":{"message":"alignment.lambda must be finite"}}'), "alignment.lambda must be finite");
  assert.equal(c.errorMessage(502, "bad gateway"), "HTTP 502: bad gateway");
});
