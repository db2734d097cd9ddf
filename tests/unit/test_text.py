"""The text-classification engine: uploads and their messages, the data set, the two models,
the trainer (the chapter's loss) and what the page's snapshot shows (text_extras)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ffnviz.data.text_data import PAD, UNKNOWN, make_text_dataset
from ffnviz.data.text_upload import parse_text_csv
from ffnviz.data.upload import UploadError
from ffnviz.nn.text_models import AttentionPooling, FeedforwardClassifier
from ffnviz.specs import RegSpec, TrainSpec
from ffnviz.specs.text import TextContestant, TextModelSpec, TextRaceSpec, TextRunSpec, TextSpec
from ffnviz.train.race import Race
from ffnviz.train.text_extras import TextExtras
from ffnviz.train.text_trainer import TextTrainer


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


def csv_file(rows: list[tuple[str, str]], header: str = "text,label") -> bytes:
    lines = [header] + [f'"{t}",{label}' for t, label in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


GOOD = csv_file([(f"sentence number {i} is {'nice' if i % 2 else 'awful'}", "pos" if i % 2 else "neg") for i in range(40)])


# -- uploads -------------------------------------------------------------------------------------

def test_a_good_file_is_read_as_text():
    up = parse_text_csv(GOOD)
    assert len(up.texts) == 40 and up.classes == ("neg", "pos") and up.counts == {"neg": 20, "pos": 20}
    tricky = csv_file([("<b>bold</b>, with a comma", "a"), ("plain", "b")] * 12)
    up = parse_text_csv(tricky)
    assert up.texts[0] == "<b>bold</b>, with a comma"  # kept as the text it is
    semicolons = GOOD.replace(b",", b";")
    assert len(parse_text_csv(semicolons).texts) == 40
    assert len(parse_text_csv(b"\xef\xbb\xbf" + GOOD).texts) == 40  # Excel's byte-order mark


def test_named_columns_are_found_in_any_order_and_empty_rows_are_counted():
    raw = b"id,label,text\n" + b"".join(f"{i},{'a' if i % 2 else 'b'},text {i}\n".encode() for i in range(30))
    raw += b"99,a,\n"
    up = parse_text_csv(raw)
    assert up.columns == ("text", "label") and len(up.texts) == 30 and up.dropped_rows == 1


@pytest.mark.parametrize(("raw", "key"), [
    (b"", "upload_empty"),
    ("text,label\ncaf\u00e9,a\n".encode("latin-1") * 30, "text_upload_not_utf8"),
    ("text,label\nhello,a\n".encode("utf-16"), "text_upload_not_utf8"),
    (b"id,score,when\n1,2,3\n", "text_upload_columns"),
    (b"text,label\n" + b",a\n" * 30, "text_upload_no_texts"),
    (csv_file([("same", "x")] * 30), "upload_one_class"),
    (csv_file([(f"t{i}", f"c{i % 12}") for i in range(48)]), "text_upload_too_many_classes"),
    (csv_file([("a", "x"), ("b", "y")] * 5), "upload_too_few_rows"),
    (csv_file([(f"t{i}", "x" if i else "lonely") for i in range(30)]), "text_upload_rare_class"),
    (GOOD + b"x" * 1_000_001, "upload_too_big"),
    (csv_file([(f"t{i}", "x" if i % 2 else "y") for i in range(5001)]), "upload_too_many_rows"),
])
def test_each_bad_file_gets_its_message(raw, key):
    with pytest.raises(UploadError) as err:
        parse_text_csv(raw)
    assert err.value.key == key
    assert err.value.message("en") and err.value.message("zh")


# -- data ----------------------------------------------------------------------------------------

def test_the_corpus_split_is_stratified_and_encoded():
    d = make_text_dataset(TextSpec(vocabulary=300))
    assert len(d.texts_train) + len(d.texts_test) == 1200 and d.classes == ("positive", "negative", "neutral")
    assert d.x_train.shape == (len(d.texts_train), 300) and d.x_train.dtype == np.float32
    counts = np.bincount(d.y_test, minlength=3)
    assert counts.max() - counts.min() <= 1  # balanced classes stay balanced on the test side
    assert d.negation_test is not None and d.negation_test.sum() > 0
    assert d.ids_train.shape[1] == d.ids_test.shape[1]
    x, ids = d.encode(["zzzz qqqq"])
    assert x.sum() == 0 and ids.tolist() == [[UNKNOWN, UNKNOWN]]
    word = d.words[5]
    _, ids = d.encode([word])
    assert ids[0, 0] == 5 + 2
    assert (d.ids_train[d.ids_train.sum(1) > 0] >= PAD).all()


def test_chinese_bigrams_and_an_upload():
    d = make_text_dataset(TextSpec(language="zh", tokens="bigrams", label="topic"))
    han = [w for w in d.words if all("\u4e00" <= ch <= "\u9fff" for ch in w)]
    assert d.classes == ("food", "travel", "tech", "sport", "finance") and len(han) > 1000
    assert {len(w) for w in han} <= {1, 2}
    up = parse_text_csv(GOOD)
    d = make_text_dataset(TextSpec(source="upload", upload=up.digest), up)
    assert d.classes == ("neg", "pos") and d.negation_test is None and len(d.texts_test) == 10


# -- models --------------------------------------------------------------------------------------

def test_models_give_log_probabilities_and_attention_ignores_padding():
    g = torch.Generator().manual_seed(0)
    before = torch.random.get_rng_state()
    ffn = FeedforwardClassifier(20, 8, 3, generator=g)
    att = AttentionPooling(22, 8, 3, generator=g)
    assert torch.equal(before, torch.random.get_rng_state())  # the global generator is untouched
    x = torch.rand(4, 20)
    assert torch.allclose(ffn(x).exp().sum(1), torch.ones(4))
    ids = torch.tensor([[5, 7, 0, 0], [3, 0, 0, 0], [0, 0, 0, 0]])
    a = att.weights(ids)
    assert torch.allclose(a[:2].sum(1), torch.ones(2)) and (a[ids == 0] == 0).all() and (a[2] == 0).all()
    assert torch.allclose(att(ids).exp().sum(1), torch.ones(3))
    # padding changes nothing: the same text padded longer gives the same answer
    assert torch.allclose(att(torch.tensor([[5, 7]])), att(torch.tensor([[5, 7, 0, 0, 0]])), atol=1e-6)


# -- trainer and extras -------------------------------------------------------------------------

def test_the_trainer_uses_the_chapters_loss_and_is_deterministic():
    spec = TextRunSpec(data=TextSpec(vocabulary=300), reg=RegSpec("l2", 0.001), train=TrainSpec(batch_size=32, seed=3))
    t = TextTrainer(spec)
    log_probs = t.model(t.x_train[:5])
    expected = -log_probs[torch.arange(5), t.y_train[:5]].mean()
    assert torch.allclose(t.data_loss(log_probs, t.y_train[:5]), expected)
    assert all(w.dim() == 2 for w in t.weights) and all(b.dim() == 1 for b in t.biases)
    t.step(50)
    again = TextTrainer(spec)
    again.step(50)
    assert all(torch.equal(a, b) for a, b in zip(t.model.parameters(), again.model.parameters(), strict=True))


@pytest.mark.parametrize("kind", ["ffn", "attention"])
def test_extras_report_what_the_page_draws(kind):
    spec = TextRaceSpec(TextRunSpec(data=TextSpec(vocabulary=500)),
                        (TextContestant(TextModelSpec(kind=kind)),))
    race = Race(spec)
    race.step(100)
    race.set_example("The food was not bad at all, really tasty!")
    view = race.extras()[0]
    n_test, classes = len(race.dataset.texts_test), race.dataset.n_classes
    assert view.confusion.sum() == n_test and view.confusion.shape == (classes, classes)
    assert np.isclose(np.trace(view.confusion) / n_test, view.test_acc)
    report = view.report
    assert all(a.shape == (classes,) for a in (report.precision, report.recall, report.f1, report.support))
    assert report.support.sum() == n_test
    assert 0 <= view.negation_acc <= 1 and view.negation_count > 0
    assert view.word_effects.shape == (classes, len(view.word_index))
    assert len(view.wrong.index) == min(n_test - np.trace(view.confusion), 30)
    sentence = view.sentence
    assert sentence.tokens[:3] == ("the", "food", "was") and np.isclose(sentence.probabilities.sum(), 1, atol=1e-5)
    assert (sentence.weights is not None) == (kind == "attention")
    base = view.baseline
    assert 0.3 < base.test_acc <= 1 and np.isclose(base.probabilities.sum(), 1)
    assert not view.word_effects.flags.writeable and not base.word_effects.flags.writeable
    race.set_example("")
    cleared = race.extras()[0]
    assert cleared.sentence is None and cleared.baseline.probabilities is None


def test_the_feedforward_word_effect_is_the_weight_of_a_linear_model():
    """With a linear activation the logits are z = A x + c (A = W2 W1), so the gradient of
    log p_c is A_c − Σ_k p_k A_k; its mean over the training texts is A_c − Σ_k mean(p_k) A_k."""
    spec = TextRunSpec(data=TextSpec(vocabulary=300), model=TextModelSpec(activation="linear"))
    t = TextTrainer(spec)
    t.step(30)
    extras = TextExtras(t.dataset)
    effects = extras.word_effects(t)
    a = (t.model.out.weight @ t.model.hidden.weight).detach().numpy()  # (C, V)
    p = t.read(t.x_train).exp().numpy().mean(0)  # (C,)
    expected = (a - p @ a)[:, extras.words]
    assert np.allclose(effects, expected, atol=1e-5)


def test_the_chapters_classifier_learns_english_sentiment():
    """A quality check, not a timing: the page's defaults (TF-IDF, vocabulary 2,000, 64 ReLU
    units, Adam 0.001, batch 32), split and training seed 0, 20 epochs. Seeds 0-4 give 0.81-0.87
    (median 0.837, docs/PERFORMANCE.md)."""
    t = TextTrainer(TextRunSpec(train=TrainSpec(batch_size=32, seed=0)))
    t.step(20 * t.updates_per_epoch)
    assert t.evaluate().test_acc >= 0.80


@pytest.mark.parametrize("classes", [2, 3])
def test_the_baseline_word_effect_is_the_mean_gradient_of_its_log_probability(classes):
    """The logistic regression's chart shows what the network's shows: mean ∂ log p(c) / ∂x,
    here checked against autograd on scikit-learn's own fitted model."""
    from sklearn.linear_model import LogisticRegression

    from ffnviz.train.text_extras import baseline_word_effects

    rng = np.random.default_rng(0)
    x = rng.random((60, 5))
    y = np.arange(60) % classes
    model = LogisticRegression(max_iter=2000).fit(x, y)
    xt = torch.tensor(x, requires_grad=True)
    w, b = torch.tensor(model.coef_), torch.tensor(model.intercept_)
    logits = xt @ w.T + b
    if classes == 2:
        logits = torch.cat([torch.zeros_like(logits), logits], 1)
    log_p = torch.log_softmax(logits, 1)
    assert np.allclose(np.exp(log_p.detach().numpy()), model.predict_proba(x), atol=1e-8)
    expected = np.stack([torch.autograd.grad(log_p[:, c].sum(), xt, retain_graph=True)[0].mean(0).numpy()
                         for c in range(classes)])
    effects = baseline_word_effects(model, x)
    assert np.allclose(effects, expected, atol=1e-5)
    assert not np.allclose(effects, model.coef_ if classes > 2 else np.vstack([0 * model.coef_, model.coef_]))
