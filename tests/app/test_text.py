"""The text-classification page: Step trains the chapter's classifier beside the baseline, a
sentence is classified, the attention model shades tokens, and every bad upload has its message
while the previous data stays."""

from __future__ import annotations

import pytest

from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors
from tests.unit.test_text import GOOD, csv_file

PAGE = "pages/text.py"
RUNNER = "ffnviz.race::tx"


def test_step_trains_and_every_picture_is_drawn(app):
    at = app(PAGE)
    no_errors(at)
    at.button(key="tx.step").click().run()
    no_errors(at)
    snap = at.session_state[RUNNER].snapshot
    assert snap.updates == snap.updates_per_epoch > 0
    charts = charts_of(at)
    for key in ("tx.loss", "tx.accuracy", "tx.confusion", "tx.words", "tx.baseline_words"):
        assert key in charts, key
    metrics = {m.label: m.value for m in at.metric}
    assert "Logistic regression: test accuracy" in metrics and "Network: test accuracy" in metrics
    assert any("negation subset" in label for label in metrics)
    assert any(df.value.shape[0] == 6 for df in at.dataframe)  # precision/recall/F1: 3 classes × 2 models


def test_a_sentence_is_classified_and_the_attention_model_shades_its_tokens(app):
    at = app(PAGE)
    at.selectbox(key="tx.kind").set_value("attention").run()
    at.button(key="tx.step").click().run()
    at.text_input(key="tx.sentence").set_value("The waiter was rude and the soup was cold").run()
    no_errors(at)
    charts = charts_of(at)
    assert "tx.sentence_probs" in charts and "tx.tokens" in charts
    sentence = at.session_state[RUNNER].snapshot.extras[0].sentence
    assert sentence.tokens[:2] == ("the", "waiter") and len(sentence.weights) == len(sentence.tokens)


def test_topics_in_chinese_and_the_chapter_section(app):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("corpus_zh").run()
    at.selectbox(key="tx.label").set_value("topic").run()
    at.button(key="tx.step").click().run()
    no_errors(at)
    dataset = at.session_state[RUNNER].race.dataset
    assert dataset.spec.language == "zh" and dataset.n_classes == 5
    assert any("CoNLL-2003" in m.value for m in at.markdown)  # where the chapter differs


def upload(at, content: bytes, name: str = "texts.csv"):
    at.file_uploader(key="tx.file").set_value((name, content, "text/csv")).run()
    return at


def test_a_good_upload_trains_and_the_example_file_loads(app):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("upload").run()
    assert any("Choose a CSV file" in i.value for i in at.info)
    upload(at, GOOD)
    no_errors(at)
    assert at.session_state[RUNNER].race.dataset.classes == ("neg", "pos")
    at.button(key="tx.step").click().run()
    no_errors(at)
    at.button(key="tx.example_file").click().run()
    no_errors(at)
    assert at.session_state[RUNNER].race.dataset.classes == ("food", "tech", "travel")


@pytest.mark.parametrize(("content", "words"), [
    ("text,label\ncaf\u00e9,a\n".encode("latin-1") * 30, "not UTF-8"),
    (b"id,score,when\n1,2,3\n3,4,5\n", "a column of texts"),
    (csv_file([("same", "x")] * 30), "at least 2 classes"),
    (csv_file([(f"t{i}", f"c{i % 12}") for i in range(48)]), "at most 10"),
    (b"text,label\n" + b",a\n" * 30, "is empty"),
    (GOOD + b"x" * 1_000_001, "KB"),
])
def test_each_bad_upload_gets_its_message_and_the_previous_data_stays(app, content, words):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("upload").run()
    upload(at, GOOD)
    upload(at, content)
    assert not at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state[RUNNER].race.dataset.classes == ("neg", "pos")  # the good file is still the data


def test_a_file_of_another_kind_is_refused_with_a_message(app):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("upload").run()
    upload(at, GOOD)
    upload(at, b"%PDF-1.4", "chapter.pdf")
    assert not at.exception
    assert any("chapter.pdf is not a CSV or text file" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state[RUNNER].race.dataset.classes == ("neg", "pos")


# -- the page's link ---------------------------------------------------------------------------------

def query_of(at) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


LINK = {"data.language": "zh", "data.tokens": "bigrams", "data.label": "topic", "data.vocabulary": "1500",
        "c0.model.kind": "attention", "c0.model.embed": "64", "c0.optim.lr": "0.01", "train.batch_size": "64",
        "race.seeds": "5"}


def test_a_link_restores_the_widgets_and_the_spec(app):
    at = app(PAGE, query=LINK)
    no_errors(at)
    assert not at.warning, [w.value for w in at.warning]
    widgets = {k: at.session_state[f"tx.{k}"] for k in ("source", "label", "tokens.zh", "vocabulary", "kind", "embed",
                                                          "lr", "batch")}
    assert widgets == {"source": "corpus_zh", "label": "topic", "tokens.zh": "bigrams", "vocabulary": 1500,
                       "kind": "attention", "embed": 64, "lr": 0.01, "batch": 64}
    spec = at.session_state[RUNNER].snapshot.spec
    data, contestant = spec.base.data, spec.contestants[0]
    assert (data.language, data.tokens, data.label, data.vocabulary) == ("zh", "bigrams", "topic", 1500)
    assert (contestant.model.kind, contestant.model.embed, contestant.optim.lr) == ("attention", 64, 0.01)
    assert spec.base.train.batch_size == 64 and spec.seeds == (5,)  # the link's training seed
    assert at.session_state[RUNNER].race.dataset.n_classes == 5


def test_a_bad_value_is_a_warning_and_the_rest_of_the_link_applies(app):
    at = app(PAGE, query={"data.label": "mood", "c0.model.hidden": "lots", "race.contestants": "3",
                          "c0.optim.lr": "0.03"})
    no_errors(at)
    warnings = "\n".join(w.value for w in at.warning)
    assert "data.label" in warnings and "mood" in warnings and "sentiment, topic" in warnings
    assert "c0.model.hidden" in warnings and "3 models" in warnings
    spec = at.session_state[RUNNER].snapshot.spec
    assert spec.base.data.label == "sentiment" and spec.contestants[0].optim.lr == 0.03
    assert len(spec.contestants) == 1
    at.button(key="tx.step").click().run()  # and the page still works
    no_errors(at)


def test_changing_a_widget_writes_the_link_and_the_link_reproduces_the_page(app):
    at = app(PAGE)
    assert not any(k.startswith(("data.", "c0.", "train.", "race.")) for k in query_of(at))  # the defaults
    at.selectbox(key="tx.kind").set_value("attention").run()
    at.select_slider(key="tx.lr").set_value(0.01).run()
    at.select_slider(key="tx.vocabulary").set_value(300).run()
    query = query_of(at)
    assert query["c0.model.kind"] == "attention" and query["c0.optim.lr"] == "0.01"
    assert query["data.vocabulary"] == "300" and "data.language" not in query
    again = app(PAGE, query=query)
    no_errors(again)
    assert again.session_state[RUNNER].snapshot.spec == at.session_state[RUNNER].snapshot.spec


def test_a_chinese_reader_opens_chinese_sentences_and_the_link_says_so(app):
    at = app(PAGE, lang="zh")
    assert at.session_state[RUNNER].race.dataset.spec.language == "zh"
    query = query_of(at)
    assert query["data.language"] == "zh" and query["data.tokens"] == "chars"
    # The same link means the same to an English reader.
    assert query.pop("lang") == "zh"
    english = app(PAGE, query=query)
    assert english.session_state[RUNNER].race.dataset.spec.language == "zh" and not english.warning


def test_an_upload_link_asks_for_the_file_again_and_trains_on_the_corpus_meanwhile(app):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("upload").run()
    upload(at, GOOD)
    at.select_slider(key="tx.lr").set_value(0.01).run()
    query = query_of(at)
    assert query["data.source"] == "upload" and not any("upload" in k for k in query if k != "data.source")
    assert at.session_state[RUNNER].race.dataset.classes == ("neg", "pos")

    fresh = app(PAGE, query=query)  # another session: no file
    no_errors(fresh)
    assert fresh.session_state["tx.source"] == "upload"
    assert any("upload it again" in w.value for w in fresh.warning), [w.value for w in fresh.warning]
    race = fresh.session_state[RUNNER].race
    assert race.dataset.spec.source == "corpus" and race.spec.contestants[0].optim.lr == 0.01
    assert query_of(fresh)["data.source"] == "upload"  # a reload still asks for the file
    upload(fresh, GOOD)
    no_errors(fresh)
    assert fresh.session_state[RUNNER].race.dataset.classes == ("neg", "pos")
    assert not any("upload it again" in w.value for w in fresh.warning)


def test_the_negation_lesson_loads_counts_and_says_what_to_watch(app):
    at = app(PAGE)
    at.button(key="tx.lesson.text_negation").click().run()
    assert not at.exception and not at.error
    assert at.session_state[RUNNER].snapshot.spec.base.data.features == "counts"
    assert any("bag of words" in i.value for i in at.info)
