"""Every page in 中文 shows no English outside a short allow-list of names and units."""

from __future__ import annotations

import json
import re

import pytest
from google.protobuf.json_format import MessageToDict

from ffnviz.data.corpus import load_corpus

# Names that stay as they are in Chinese text: people, products, functions, units, symbols.
ALLOWED = {
    "relu", "leaky", "elu", "gelu", "silu", "swish", "mish", "softplus", "tanh", "sigmoid", "dropout", "xavier",
    "glorot", "bengio", "kaiming", "playground", "tensorflow", "torch", "cuda", "gpu", "cpu", "sgd", "adam",
    "adamw", "nadam", "radam", "adamax", "adagrad", "rmsprop", "adadelta", "nesterov", "xor", "ffnviz",
    "english", "python", "sin",
    "rosenbrock", "beale", "himmelblau", "rastrigin", "booth",  # the surfaces' namesakes
    "rnn", "gru", "lstm", "glu", "reglu", "geglu", "swiglu", "batchnorm",  # names of layers, as in the literature
    "transformer", "softmax", "multiheadattention", "gpt", "log",  # the attention page's names and math
    "csv", "utf", "idf", "excel", "pytorch", "linear", "logsoftmax", "nllloss",  # formats, programs, layer names
    "scikit", "learn", "nan", "distill",  # a library, a float value, a journal: names without code font
    "hinton", "conll",  # the chapter's people and corpus
    "gers", "jozefowicz",  # the forget-gate bias's authors (the gated page's tooltip)
    "nair", "bordes", "simonyan", "zisserman", "cho", "lecun", "bert", "resnet", "vgg",  # its errata's references
    "cnn", "mlp",  # the convolution page's two models, as the literature names them
    "ffn",  # the feedforward block, as the chapter and the literature abbreviate it (the class page names its part)
    "language",  # the language switch is labelled in both languages on purpose: "Language · 语言"
    "json", "safetensors", "pickle",  # file formats, as csv
    "cookie",  # the browser's word, as Chinese browsers write it (the teacher PIN's caption)
    "utc",  # the server clock's zone, as the system names it (the class's expiry time; tests run in UTC)
    "none",  # how Streamlit's table shows an empty cell (the race's contestants: their tooltips say what it means)
}
SKIPPED_FIELDS = {"icon", "id", "formId", "type", "elementType", "pageScriptHash", "page", "url", "default",
                  "setValue", "value", "rawValue", "key", "deferredFileId"}


def _strings(obj, field: str = ""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in SKIPPED_FIELDS:
                yield from _strings(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v, field)
    # not the protocol's enum names, nor the page's CSS (ui/layout.py), which is not shown
    elif isinstance(obj, str) and not re.fullmatch(r"[A-Z_]+", obj) and not obj.startswith("<style>"):
        yield obj


def _plotly_text(spec: str):
    fig = json.loads(spec)
    layout = fig.get("layout", {})
    yield layout.get("title", {}).get("text", "")
    for axis in ("xaxis", "yaxis"):
        yield layout.get(axis, {}).get("title", {}).get("text", "")
    for trace in fig.get("data", []):
        yield trace.get("name", "")


def _table_text(node) -> list[str]:
    """A table's headers and cells as the browser shows them: a column's configured label, and a
    select column's option labels (Streamlit sends both with the table)."""
    frame = node.value
    config = json.loads(node.proto.columns) if getattr(node.proto, "columns", "") else {}
    texts = []
    for column in frame.columns:
        spec = config.get(str(column), {})
        texts.append(spec.get("label", str(column)))
        options = {o["value"]: o.get("label", o["value"]) for o in spec.get("type_config", {}).get("options", [])}
        texts.extend(options.get(v, v) for v in frame[column].to_numpy() if isinstance(v, str))
    return texts


def visible_text(at) -> list[str]:
    texts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        kind = type(node).__name__
        if kind == "Dataframe":
            texts.extend(_table_text(node))
        elif getattr(proto, "component_name", "") == "ffnviz.plot":  # a live chart: its figure's text
            texts.extend(_plotly_text(json.loads(proto.json)["figure"]))
        elif getattr(proto, "component_name", "") == "ffnviz.cookies":  # sets cookies, shows nothing
            pass
        elif proto is not None and kind not in ("Latex", "Code"):  # formulas and links are not prose
            d = MessageToDict(proto)
            if "spec" in d:  # a plotly chart: its titles and trace names
                texts.extend(_plotly_text(d["spec"]))
            else:
                texts.extend(_strings(d))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return texts


def english_words(text: str) -> list[str]:
    text = re.sub(r"<[^<>]*>", " ", text)  # HTML tags and their attributes (the attention page's table)
    text = re.sub(r"\$[^$]*\$", "", text)  # inline LaTeX
    text = re.sub(r"`[^`]*`", "", text)  # code: names of devices, packages
    text = re.sub(r"“[^”\u4e00-\u9fff]*”", "", text)  # a quoted title of an English paper stays as it is
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in ALLOWED]


@pytest.mark.parametrize("page", ["pages/home.py", "pages/playground.py", "pages/optimizers.py", "pages/gated.py",
                                  "pages/attention.py", "pages/convolution.py", "pages/text.py", "pages/classroom.py"])
def test_page_in_chinese_has_no_english(app, page):
    at = app(page, lang="zh")
    if page.endswith("playground.py"):  # show the optional widgets too
        at.selectbox(key="pg.optimizer").set_value("adam").run()
        at.selectbox(key="pg.reg").set_value("l2").run()
        at.selectbox(key="pg.dataset").set_value("spiral").run()
        at.button(key="pg.step").click().run()
        at.toggle(key="pg.inside").set_value(True).run()
        at.button(key="pg.step").click().run()
    if page.endswith("text.py"):  # the sentence, the chapter's section, the upload's controls (the data is Chinese)
        at.button(key="tx.step").click().run()
        at.text_input(key="tx.sentence").set_value("这家店的菜不太好吃").run()
        at.selectbox(key="tx.source").set_value("upload").run()
    if page.endswith("attention.py"):  # the optional widgets, the error message, the lesson box
        at.selectbox(key="at.task").set_value("copy_offset").run()
        at.selectbox(key="at.reg").set_value("l2").run()
        at.text_input(key="at.example").set_value("no").run()
        at.button(key="at.lesson.attn_causal").click().run()
        at.button(key="at.step").click().run()
    if page.endswith("convolution.py"):  # both models, every picture, the preset box, a layer that does not fit
        at.button(key="cv.lesson.conv_halves").click().run()
        at.selectbox(key="cv.reg").set_value("l2").run()
        at.button(key="cv.step").click().run()
        at.selectbox(key="cv.x.kernel").set_value("learned:0").run()
        at.slider(key="cv.l2.kernel").set_value(7).run()
        at.slider(key="cv.l1.stride").set_value(3).run()
        at.slider(key="cv.l2.padding").set_value(0).run()
        assert at.error  # the message is part of what is checked
    if page.endswith("classroom.py"):  # the teacher's view: join box, PIN, challenge box, the wall
        at.button(key="cls.start").click().run()
    assert not at.exception
    data = set(load_corpus("zh")["text"])  # the corpus's sentences are data, not the app's words ("Pro版")
    found = {w: t[:80] for t in visible_text(at) if t not in data for w in english_words(t)}
    assert not found, f"English words on {page} in 中文: {dict(list(found.items())[:20])}"


def test_chinese_text_is_really_there(app):
    at = app("pages/playground.py", lang="zh")
    assert any("前馈" in t for t in visible_text(at))


def test_a_bad_link_in_chinese_says_what_was_ignored_in_chinese(app):
    """The engine's messages (specs/flat.py, checks.py, links.py) reach a Chinese page in Chinese;
    the URL's keys and values stay as the URL wrote them, in code font."""
    bad = {"v": "99", "optim.lr": "500", "data.noise": "abc", "model.activation": "zz", "train.batch_size": "1.5"}
    at = app("pages/playground.py", query=bad, lang="zh")
    messages = [w.value for w in at.warning]
    assert len(messages) == len(bad), messages  # one a bad value
    assert all("已忽略链接中的一个值" in m for m in messages)
    found = {w: m for m in messages for w in english_words(m)}
    assert not found, f"English in the link's messages in 中文: {found}"
    assert not at.exception


def test_a_list_in_chinese_text_is_joined_with_the_chinese_enumeration_comma(app):
    """Found in a browser QA pass: the text page's data summary read "类别：正面, 负面, 中性"."""
    at = app("pages/text.py", lang="zh")
    at.button(key="tx.step").click().run()
    summary = [c.value for c in at.caption if "类别：" in c.value]
    assert summary and "、" in summary[0] and ", " not in summary[0], summary
