"""Lesson 04: freezing."""
from __future__ import annotations

from .checks import Exercise, Feedback, choice
from ..i18n import tr_exercise
from ..verdicts import HIGHER, LOWER
from ..models.architectures import EfficientNetLite0
from ..models.groups import count_parameters, layer_groups

CLASSES = 10
FROZEN_UP_TO = "stage6"


def _counts() -> dict:
    """Parameters of EfficientNet-Lite0 with a 10-class head, by group (no weights loaded: the counts are the same)."""

    groups = layer_groups(EfficientNetLite0(num_classes=CLASSES))
    counts = {name: count_parameters(group) for name, group in groups.items()}
    names = list(counts)
    trainable = sum(counts[n] for n in names[names.index(FROZEN_UP_TO) + 1:])
    return {"groups": counts, "trainable": trainable, "total": sum(counts.values())}


def trainable_after_freezing() -> int:
    """The right answer to 04.trainable_count: what still trains after tt.freeze(model, up_to="stage6")."""
    return _counts()["trainable"]


def _judge_trainable(answer):
    text = answer.replace(",", "").replace("_", "").replace(" ", "") if isinstance(answer, str) else answer
    try:
        value = float(text)
    except (TypeError, ValueError):
        return Feedback(False, tr_exercise("Give a whole number such as 12810, not {answer!r}.", answer=answer))
    if value != value or value in (float("inf"), float("-inf")):
        return Feedback(False, tr_exercise("Give a whole number such as 12810, not {answer!r}.", answer=answer))
    counts = _counts()
    groups, trainable, total = counts["groups"], counts["trainable"], counts["total"]
    if value == trainable:
        return True
    if value == groups["head"]:
        return Feedback(False, tr_exercise("That is the head alone. Freezing up to stage6 leaves one more group trainable."))
    if value == groups["stage7"]:
        return Feedback(False, tr_exercise("That is stage7 alone. Which other group is not frozen?"))
    if value == total:
        return Feedback(False, tr_exercise("That is every parameter of the model, frozen or not. How many of them still train?"))
    if value == total - trainable:
        return Feedback(False, tr_exercise("That is how many are frozen. The question asks how many still train."))
    return False


PREDICTIONS = ("tune", "freeze", "tie")


def _judge_predict(answer, contrasts=None):
    """Compare a prediction per row with the table's contrasts (`tt.rules.contrasts(table)`, passed to tt.check);
    every complete prediction passes, with what matched."""
    if contrasts is None:
        return Feedback(False, tr_exercise("Give the table's contrasts too: tt.check(\"04.predict\", prediction, "
                                           "tt.rules.contrasts(table))."))
    rows = {f"{row['task']} {row['per_class']}": row for row in contrasts}
    if not isinstance(answer, dict):
        return Feedback(False, tr_exercise("Give a dict with one prediction per row, e.g. {example}.",
                                           example="{'animals 5': 'freeze', ...}"))
    bad = [key for key in rows if str(answer.get(key, "")).strip().lower() not in PREDICTIONS]
    if bad:
        return Feedback(False, tr_exercise("Write 'tune', 'freeze' or 'tie' for every row; still missing: {rows}.",
                                           rows=", ".join(map(repr, bad))))
    shown = {HIGHER: "tune", LOWER: "freeze"}
    lines, matched = [], 0
    for key, row in rows.items():
        said, found = str(answer[key]).strip().lower(), shown.get(row["verdict"], "tie")
        numbers = tr_exercise("gain of tuning {difference}", difference=row["difference"])
        if said == found:
            matched += 1
            lines.append(tr_exercise("{row}: {found}, as you said ({numbers}).", row=repr(key), found=repr(found),
                                     numbers=numbers))
            continue
        why = {"tie": tr_exercise("the 95 % interval of the gain includes 0: neither wins on these seeds"),
               "freeze": tr_exercise("the body's steps, driven by so few photos, cost more of what it knew than they "
                                     "taught it; compare the plan's algorithm at three step sizes"),
               "tune": tr_exercise("these images need other features than ImageNet's, and the body's weights really "
                                   "moved (the weights heatmap): the body learnt them")}[found]
        if said == "tie":
            why = tr_exercise("the 95 % interval of the gain excludes 0: a real difference here")
        lines.append(tr_exercise("{row}: you said {said}, the table says {found} ({numbers}): {why}.", row=repr(key),
                                 said=repr(said), found=repr(found), numbers=numbers, why=why))
    return Feedback(True, tr_exercise("{matched} of {total} predictions match the shipped table.", matched=matched,
                                      total=len(rows)) + " " + " ".join(lines))


EXERCISES = {
    "04.predict": Exercise(
        question="Before you see the table: for each row, does tuning everything beat freezing everything "
                 "('tune'), lose to it ('freeze'), or can the experiment not tell them apart ('tie')?",
        judge=_judge_predict,
        right="",
        hint="Use the two rules of thumb: how much data has the row, and how much do its images look like "
             "ImageNet's photos?",
    ),
    "04.trainable_count": Exercise(
        question=f"A 10-class EfficientNet-Lite0 is frozen with tt.freeze(model, up_to={FROZEN_UP_TO!r}). "
                 "How many parameters still train?",
        judge=_judge_trainable,
        right="stage7 (1,017,600) + the head (12,810) = 1,030,410, about 30 % of the model. The last stage is the "
              "biggest one: unfreezing it makes a million numbers learn from our few photos.",
        hint="Freeze the model that way and read the 'trainable' column of tt.trainable_summary(model) "
             "(or move the FreezePanel slider). Which groups come after stage6?",
    ),
    "04.train_mode": Exercise(
        question="You froze a model with tt.freeze(model) and then called model.train() in your own training loop. "
                 "What happens to the frozen BatchNorm layers? (a) nothing: frozen means frozen; "
                 "(b) their weights stay frozen, but they go back to training mode and update their running "
                 "statistics from every batch; (c) model.train() unfreezes their weights",
        judge=choice("b"),
        right="requires_grad=False stops the optimiser, not BatchNorm: in training mode it normalises with the batch's "
              "own statistics and overwrites its running mean and variance. That is why tt.fit puts frozen "
              "BatchNorm layers back in eval mode every epoch (tt.set_train_mode).",
        hint="Freezing has three switches. Which of them does model.train() touch?",
        hints={
            "a": "Look at the cell where we called model.train(): what did the frozen BatchNorm layer's .training say?",
            "c": "requires_grad is not changed by model.train(). Something else about BatchNorm is.",
        },
    ),
    "04.rule": Exercise(
        question="A hospital has 3,000 labelled lung CT scans per class: grey, textured images, very unlike the "
                 "photos of ImageNet. Which freezing would you try first? (a) freeze everything but the head; "
                 "(b) freeze only the first few groups (stem ... stage2) and fine-tune the rest; "
                 "(c) freeze up to stage6, because freezing more is always safer",
        judge=choice("b"),
        right="Much data and a dissimilar task: the early groups (edges, simple textures) are still useful, but the "
              "late ImageNet features (fur, eyes, wheels) are not. With 3,000 images per class the later groups "
              "can safely learn new features for scans.",
        hint="Use the two halves of the rule of thumb: how similar is the task to ImageNet, and how much data is there? "
             "And keep the body's steps moderate: with one large learning rate, any group that learns forgets.",
        hints={
            "a": "That is the right choice for a similar task with little data. Is this task similar? Is the data "
                 "little?",
            "c": "Freezing more protects you when data is scarce. Is it scarce here, and do ImageNet's late features "
                 "(fur, eyes, wheels) describe a lung scan?",
        },
    ),
}
