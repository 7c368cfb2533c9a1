#!/usr/bin/env python3
"""Regenerates expected.json: every template of templates.json rendered with every conversation of
conversations.json by Jinja2 configured exactly as transformers' apply_chat_template configures it
(transformers/utils/chat_template_utils.py: ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks,
loopcontrols, its tojson, raise_exception and strftime_now), with strftime_now pinned to CLOCK.

Needs only python3 and jinja2 (Debian's python3-jinja2). Run from anywhere:
    python3 server/src/test/resources/chat-templates/regenerate.py
"""
import json
import os
from datetime import datetime

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
# The Java test pins its clock to the same instant (ChatTemplateCorpusTest.CLOCK).
CLOCK = datetime(2026, 1, 15, 9, 30, 0)


def environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return CLOCK.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(env, source, template, conversation, tools):
    # As transformers' render_jinja_template: tools and documents are always passed (None when absent),
    # then the special tokens, then the caller's kwargs.
    # transformers passes only the special tokens that are set (Qwen has no BOS: bos_token is undefined).
    kwargs = {k: template[k] for k in ("bos_token", "eos_token") if template[k] is not None}
    kwargs.update(conversation.get("chat_template_kwargs", {}))
    try:
        prompt = env.from_string(source).render(
            messages=conversation["messages"],
            tools=tools if conversation.get("tools") else None,
            documents=None,
            add_generation_prompt=True,
            **kwargs,
        )
        return {"prompt": prompt}
    except jinja2.exceptions.TemplateError as e:
        if type(e) is jinja2.exceptions.TemplateError:
            return {"raises": str(e)}
        return {"fails": type(e).__name__ + ": " + str(e)}
    except Exception as e:  # the template cannot run on this input (e.g. None + str)
        return {"fails": type(e).__name__ + ": " + str(e)}


def main():
    with open(os.path.join(HERE, "templates.json"), encoding="utf-8") as f:
        templates = json.load(f)["templates"]
    with open(os.path.join(HERE, "conversations.json"), encoding="utf-8") as f:
        corpus = json.load(f)
    env = environment()
    expected = {}
    for template in templates:
        with open(os.path.join(HERE, "templates", template["name"] + ".jinja"), encoding="utf-8") as f:
            source = f.read()
        expected[template["name"]] = {
            c["name"]: render(env, source, template, c, corpus["tools"]) for c in corpus["conversations"]
        }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
