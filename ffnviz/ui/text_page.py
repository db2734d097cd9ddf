"""The text-classification page: the book chapter's feedforward text classifier (bag-of-words or
TF-IDF -> Linear -> ReLU -> Linear -> LogSoftmax, NLLLoss, Adam, batch 32), made runnable on a
corpus we ship (or the student's CSV), trained live beside a logistic-regression baseline, with
an attention-pooling model whose per-token weights can be shown, and the chapter's formulas in
their correct form.

As on the sequence pages the model trains as a one-model race (RaceRunner) and every picture
comes from the snapshot (ffnviz.train.text_extras); pickers sit outside the fragments. The page's
spec lives in session state and in the URL (text_race_to_flat). An uploaded file cannot travel
in a link: the link says data.source=upload, and a session opened from it asks for the file
again, training on the shipped corpus until it comes."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import streamlit as st

from ffnviz import limits
from ffnviz.data.corpus import load_corpus
from ffnviz.data.text_data import TextDataset, make_text_dataset
from ffnviz.data.text_upload import TextUpload
from ffnviz.lessons import text_lessons
from ffnviz.page_links import TEXT, text_default, text_training_size
from ffnviz.specs import ACTIVATIONS, OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.text import (
    TEXT_FEATURES,
    TEXT_KINDS,
    TOKENS,
    TextContestant,
    TextModelSpec,
    TextRaceSpec,
    TextRunSpec,
    TextSpec,
)
from ffnviz.train.race_runner import RaceRunner, RaceSnapshot
from ffnviz.train.regularizers import LOSS_LATEX
from ffnviz.train.text_extras import TextView
from ffnviz.ui.charts import projector, show
from ffnviz.ui.controls import run_buttons, status_line
from ffnviz.ui.errors import error_boundary, safe_callback, show_callback_error
from ffnviz.ui.i18n import current_lang, labeller, tr, tr_message
from ffnviz.ui.layout import settings_fold
from ffnviz.ui.lessons_panel import lesson_buttons, lesson_note
from ffnviz.ui.live import SLOW_S, live_panel
from ffnviz.ui.optimizer_widgets import optimizer_row, with_value
from ffnviz.ui.run_files import downloads
from ffnviz.ui.runs import race_runner_for
from ffnviz.ui.seq_race_panel import next_seed, race_curves_panel, race_seed
from ffnviz.ui.spec_state import PageState, hidden_section
from ffnviz.ui.text_upload_panel import mark_upload_from_link, upload_controls
from ffnviz.viz import text_charts

P = "tx"  # widget keys and the runner's key
SOURCES = ("corpus_en", "corpus_zh", "upload")
VOCABULARIES = (100, 300, 1000, 2000, 5000, 10000)
HIDDEN = (8, 16, 32, 64, 128, 256, 512)
EMBED = (8, 16, 32, 64, 128)


def _one_model(spec: TextRaceSpec, messages: list[str]) -> TextRaceSpec:
    """A link's race as this page trains it: one model; an upload's file asked for again (it stayed
    with whoever made the link)."""
    if spec.base.data.source == "upload":
        mark_upload_from_link(P)
    if len(spec.contestants) != 1:
        messages.append(tr("text_link_one_model", n=len(spec.contestants)))
        spec = replace(spec, contestants=spec.contestants[:1])
    return spec


# A link is read over the English default, so that it means the same to every reader; a page
# opened without one shows the corpus in the reader's language.
STATE = PageState(TEXT, P, opening=lambda: text_default(current_lang() if current_lang() in TOKENS else "en"),
                  fit=_one_model)


# -- data ---------------------------------------------------------------------------------------

def _data_controls(d: TextSpec) -> tuple[TextSpec, TextUpload | None]:
    """The data the widgets choose (an upload's digest, "" until its file comes) and the file."""
    cols = st.columns(6)
    source = cols[0].selectbox(tr("w_text_source"), SOURCES, key=STATE.widget("source", "upload" if d.source == "upload" else
                                                                     f"corpus_{d.language}"),
                               format_func=labeller("text_source_"), help=tr("help_text_source"))
    upload = None
    if source == "upload":
        language, upload = upload_controls(P, d.language)
    else:
        language = source.removeprefix("corpus_")
    label = cols[1].selectbox(tr("w_text_label"), limits.TEXT_LABELS, key=STATE.widget("label", d.label),
                              format_func=labeller("text_label_"), help=tr("help_text_label"), disabled=source == "upload")
    tokens = cols[2].selectbox(tr("w_tokens"), TOKENS[language],
                               key=STATE.widget(f"tokens.{language}",
                                                 d.tokens if d.tokens in TOKENS[language] else TOKENS[language][0]),
                               format_func=labeller("tokens_"), help=tr("help_tokens"))
    features = cols[3].selectbox(tr("w_features_text"), TEXT_FEATURES, key=STATE.widget("features", d.features),
                                 format_func=labeller("text_features_"), help=tr("help_features_text"))
    vocabulary = cols[4].select_slider(tr("w_vocabulary"), with_value(VOCABULARIES, d.vocabulary),
                                       key=STATE.widget("vocabulary", d.vocabulary), help=tr("help_vocabulary"))
    test = cols[5].slider(tr("w_test_share"), float(limits.TEXT_TEST_FRACTION.lo), float(limits.TEXT_TEST_FRACTION.hi),
                          step=0.05, key=STATE.widget("test", d.test_fraction), help=tr("help_test_share"))
    chosen = replace(d, source="upload" if source == "upload" else "corpus", language=language, label=label,
                     tokens=tokens, features=features, vocabulary=int(vocabulary), test_fraction=float(test),
                     upload=upload.digest if upload is not None else "")
    return chosen, upload


def _trained_data(chosen: TextSpec, upload: TextUpload | None) -> TextSpec:
    """What the race trains on: the chosen data, or, while an upload's file has not come, the
    shipped corpus in the reader's language."""
    if chosen.source == "corpus" or upload is not None:
        return chosen
    language = "zh" if current_lang() == "zh" else "en"
    return replace(chosen, source="corpus", language=language, tokens=TOKENS[language][0])


def _n_train(spec: TextSpec, upload: TextUpload | None) -> int:
    return text_training_size(spec, len(upload.texts) if upload is not None else len(load_corpus(spec.language)))


# -- model and training -------------------------------------------------------------------------

def _model_controls(m: TextModelSpec) -> TextModelSpec:
    cols = st.columns(4)
    kind = cols[0].selectbox(tr("w_text_model"), TEXT_KINDS, key=STATE.widget("kind", m.kind),
                             format_func=labeller("text_model_"),
                             help=tr("help_text_model"))
    # What the other kind would set stays at the default, so that one model is one link.
    unused = TextModelSpec()
    hidden, embed, activation = unused.hidden, unused.embed, unused.activation
    if kind == "ffn":
        hidden = cols[1].select_slider(tr("w_text_hidden"), with_value(HIDDEN, m.hidden), key=STATE.widget("hidden", m.hidden),
                                       help=tr("help_text_hidden"))
        activation = cols[2].selectbox(tr("w_activation"), ACTIVATIONS, key=STATE.widget("activation", m.activation),
                                       format_func=labeller("act_"), help=tr("help_activation"))
    else:
        embed = cols[1].select_slider(tr("w_text_embed"), with_value(EMBED, m.embed), key=STATE.widget("embed", m.embed),
                                      help=tr("help_text_embed"))
    dropout = cols[3].slider(tr("w_dropout"), float(limits.DROPOUT.lo), float(limits.DROPOUT.hi), step=0.05,
                             key=STATE.widget("dropout", m.dropout), help=tr("help_dropout"))
    return TextModelSpec(kind, int(hidden), activation, int(embed), float(dropout))


def _epochs(train: TrainSpec, n_train: int) -> int:
    """The epochs a spec's step cap makes (the page offers whole epochs), within the widget's range."""
    epochs = round(train.max_updates / math.ceil(n_train / train.batch_size))
    return int(min(max(epochs, limits.TEXT_EPOCHS.lo), limits.TEXT_EPOCHS.hi))


def _training_controls(c: TextContestant, t: TrainSpec, n_train: int) -> tuple[OptimSpec, RegSpec, TrainSpec]:
    """The optimizer row, and the number of epochs it trains for."""
    cols = st.columns(6)
    optim, reg, batch = optimizer_row(cols, STATE.widget, c.optim, c.reg, t.batch_size)
    epochs = cols[5].number_input(tr("w_epochs"), int(limits.TEXT_EPOCHS.lo), int(limits.TEXT_EPOCHS.hi),
                                  key=STATE.widget("epochs", _epochs(t, n_train)), help=tr("help_epochs"))
    return optim, reg, replace(t, batch_size=batch, max_updates=int(epochs) * math.ceil(n_train / batch))


def _controls(stored: TextRaceSpec) -> tuple[TextRaceSpec, TextSpec, TextUpload | None]:
    """The page's spec as the widgets set it, the data the race trains on, and the uploaded file."""
    st.session_state.setdefault(f"{P}.seed0", stored.seeds[0])  # a link's training seed, until New weights
    # A section a challenge's link hides (`<lock>_hide=1`) keeps the link's settings.
    contestant = stored.contestants[0]
    chosen, upload, model = stored.base.data, None, contestant.model
    optim, reg, train = contestant.optim, contestant.reg, stored.base.train
    if not hidden_section("data"):
        st.markdown(f"**{tr('sec_data')}**")
        chosen, upload = _data_controls(stored.base.data)
    trained = _trained_data(chosen, upload)
    if not hidden_section("network"):
        st.markdown(f"**{tr('sec_model')}**")
        model = _model_controls(contestant.model)
    if not hidden_section("optimizer", "training"):
        st.markdown(f"**{tr('sec_optimizer')}**")
        optim, reg, train = _training_controls(contestant, stored.base.train, _n_train(trained, upload))
    spec = TextRaceSpec(TextRunSpec(data=chosen, train=train), (TextContestant(model, optim, reg),),
                        seeds=(race_seed(P),), target_accuracy=stored.target_accuracy)
    return spec.validate(), trained, upload


def _dataset(spec: TextSpec, upload: TextUpload | None) -> TextDataset | None:
    """An upload's data set, made once per spec (the corpus's the race makes itself)."""
    if upload is None:
        return None
    cache = st.session_state.setdefault(f"{P}.datasets", {})
    if spec not in cache:
        cache.clear()
        cache[spec] = make_text_dataset(spec, upload)
    return cache[spec]


# -- pictures -------------------------------------------------------------------------------------

def _numbers(snap: RaceSnapshot) -> None:
    view = snap.extras[0] if snap.extras else None
    if view is None:
        return
    base = view.baseline
    cols = st.columns(4)
    cols[0].metric(tr("metric_net_test_acc"), f"{view.test_acc:.1%}", help=tr("help_metric_net_test_acc"))
    cols[1].metric(tr("metric_baseline_acc"), f"{base.test_acc:.1%}", help=tr("help_metric_baseline_acc"))
    if view.negation_acc is not None:
        cols[2].metric(tr("metric_negation_acc", n=view.negation_count), f"{view.negation_acc:.1%}",
                       help=tr("help_metric_negation_acc"))
        cols[3].metric(tr("metric_negation_baseline"), f"{base.negation_acc:.1%}", help=tr("help_metric_negation_acc"))


def _curves(snap: RaceSnapshot) -> None:
    status_line(snap)
    _numbers(snap)
    race_curves_panel(snap, [tr("text_model_" + snap.spec.contestants[0].model.kind)], P)


def _names(dataset: TextDataset) -> list[str]:
    if dataset.spec.source == "upload":
        return list(dataset.classes)
    return [tr("text_class_" + c) for c in dataset.classes]


def _report_table(view: TextView, kind: str, names: list[str]) -> pd.DataFrame:
    rows = []
    for who, report in ((tr("text_model_" + kind), view.report), (tr("baseline_name"), view.baseline.report)):
        for c, name in enumerate(names):
            rows.append({tr("col_model"): who, tr("col_class"): name, tr("col_precision"): f"{report.precision[c]:.2f}",
                         tr("col_recall"): f"{report.recall[c]:.2f}", tr("col_f1"): f"{report.f1[c]:.2f}",
                         tr("col_support"): int(report.support[c])})
    return pd.DataFrame(rows)


def _pictures(snap: RaceSnapshot, dataset: TextDataset) -> None:
    view = snap.extras[0] if snap.extras else None
    if view is None:
        st.info(tr("text_no_pictures"))
        return
    kind = snap.spec.contestants[0].model.kind
    names = _names(dataset)
    left, right = (st.container(), st.container()) if projector() else st.columns(2)
    with left:
        st.dataframe(_report_table(view, kind, names), hide_index=True, width="stretch")
        st.caption(tr("cap_text_report"))
    with right:
        show(text_charts.confusion(view.confusion, names, projector=projector(),
                                   labels={"title": tr("chart_text_confusion"), "true": tr("axis_true_class"),
                                           "predicted": tr("axis_predicted_class"), "count": tr("axis_count")}),
             f"{P}.confusion", tr("cap_text_confusion"))
    c = min(int(st.session_state.get(f"{P}.word_class", 0)), len(names) - 1)
    words = [dataset.words[i] for i in view.word_index]
    left, right = (st.container(), st.container()) if projector() else st.columns(2)
    with left:
        show(text_charts.word_bars(words, view.word_effects[c], projector=projector(),
                                   labels={"title": tr("chart_word_effects", name=names[c]),
                                           "value": tr("axis_word_effect_" + kind)}),
             f"{P}.words", tr("cap_word_effects_" + kind))
    with right:
        show(text_charts.word_bars(list(dataset.words), view.baseline.word_effects[c], projector=projector(),
                                   labels={"title": tr("chart_baseline_weights", name=names[c]),
                                           "value": tr("axis_word_effect_ffn")}),
             f"{P}.baseline_words", tr("cap_baseline_weights"))
    wrong = view.wrong
    if len(wrong.index):
        table = pd.DataFrame({tr("col_text"): [dataset.texts_test[i] for i in wrong.index],
                              tr("col_true"): [names[dataset.y_test[i]] for i in wrong.index],
                              tr("col_predicted"): [names[p] for p in wrong.predicted],
                              tr("col_confidence"): [f"{p:.0%}" for p in wrong.confidence]})
        st.markdown(f"**{tr('sec_misclassified')}**")
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(tr("cap_misclassified", shown=len(wrong.index), total=len(dataset.texts_test)))
    _sentence(view, kind, names)


def _sentence(view: TextView, kind: str, names: list[str]) -> None:
    found = view.sentence
    if found is None:
        return
    model_name = tr("text_model_" + kind)
    show(text_charts.class_probabilities(names, {model_name: found.probabilities,
                                                 tr("baseline_name"): view.baseline.probabilities},
                                         projector=projector(), labels={"title": tr("chart_sentence_probs"),
                                                                        "value": tr("axis_probability")}),
         f"{P}.sentence_probs", tr("cap_sentence_probs"))
    if found.weights is not None and len(found.tokens):
        show(text_charts.token_weights(list(found.tokens), found.weights, found.known, projector=projector(),
                                       labels={"title": tr("chart_token_weights"), "value": tr("axis_attention_weight"),
                                               "unknown": tr("token_unknown")}),
             f"{P}.tokens", tr("cap_token_weights"))
    elif not found.known.any():
        st.warning(tr("sentence_no_known_words"))


def _set_sentence(runner: RaceRunner) -> None:
    runner.set_example(st.session_state.get(f"{P}.sentence", ""))


def _chapter() -> None:
    with st.expander(tr("sec_chapter"), expanded=False):
        st.markdown(tr("chapter_intro"))
        st.latex(r"y = f(Wx + b)")
        st.latex(r"W \leftarrow W - \eta\,\frac{\partial L}{\partial W}")
        st.latex(LOSS_LATEX["l2"])  # as regularizers.penalty computes it
        st.latex(r"\log p(c \mid x) = \log \mathrm{softmax}(W_2\, \mathrm{ReLU}(W_1 x + b_1) + b_2)_c,\quad "
                 r"L = -\frac{1}{n}\sum_i \log p(y_i \mid x_i)")
        st.markdown(tr("chapter_differences"))
        st.markdown(tr("chapter_measured"))


# -- the page -------------------------------------------------------------------------------------

def render() -> None:
    st.title(tr("tx_title"))
    st.caption(tr("tx_intro"))
    show_callback_error()
    with error_boundary("text"):
        with settings_fold(P):
            lesson_buttons(STATE, text_lessons(), with_note=False)
            stored = STATE.load()
            try:
                spec, trained, upload = _controls(stored)
            except ValueError as err:  # cannot happen through the widgets; a message, never a traceback
                st.error(tr("error_invalid", detail=tr_message(str(err))))
                spec, trained, upload = stored, _trained_data(stored.base.data, None), None
        STATE.save(spec)
        lesson_note(STATE)
        race = replace(spec, base=replace(spec.base, data=trained))
        runner = race_runner_for(P, race, dataset=_dataset(trained, upload))
        dataset = runner.race.dataset
        per_epoch = runner.snapshot.updates_per_epoch
        run_buttons(runner, P, per_epoch, tr("help_step", updates=per_epoch), lambda: next_seed(P))
        live_panel(runner, _curves)
        # under the curves: above them it pushed the picture off the projector's first screen
        st.caption(tr("text_data_summary", train=len(dataset.texts_train), test=len(dataset.texts_test),
                      words=len(dataset.words), classes=tr("list_sep").join(_names(dataset))))
        downloads(runner, STATE.form.name, P)
        st.subheader(tr("sec_text_results"))
        names = _names(dataset)
        cols = st.columns([3, 1], vertical_alignment="bottom")
        cols[0].text_input(tr("w_sentence"), key=f"{P}.sentence", on_change=safe_callback(_set_sentence, runner),
                           placeholder=tr("placeholder_sentence_" + dataset.spec.language), help=tr("help_sentence"))
        cols[1].selectbox(tr("w_word_class"), list(range(len(names))), key=f"{P}.word_class",
                          format_func=dict(enumerate(names)).__getitem__, help=tr("help_word_class"))
        shown = runner.snapshot.extras[0] if runner.snapshot.extras else None
        if st.session_state.get(f"{P}.sentence") and (shown is None or shown.sentence is None):
            _set_sentence(runner)  # a rebuilt race forgot it
        live_panel(runner, lambda snap: _pictures(snap, dataset), every=SLOW_S)
        _chapter()
