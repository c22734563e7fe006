"""Lesson 01: overfitting on small data."""
from statistics import fmean

from .checks import Exercise, Feedback, choice, number, read_points
from ..i18n import tr_exercise

# SmallCNN(10) has 98,970 parameters (tests/test_exercises_* check it); the small training set has 10 x 10 images.
SMALLCNN_PARAMETERS = 98_970
SMALL_TRAIN_IMAGES = 100
GAP_TOLERANCE = 0.6  # percentage points: the table prints three decimals of a fraction, so a reading is exact


def _mean(table, value: str, per_class: int) -> float:
    return fmean(row[value] for row in table if row["per_class"] == per_class)


def _judge_gap(answer, table=None):
    """01.read_gap: how much larger the mean gap is at the fewest photos per class than at the most, read from
    the run's own table (the experiment's `table`, passed to tt.check), in points or as a fraction."""
    if table is None:
        return Feedback(False, tr_exercise("Give the experiment's table too: tt.check(\"01.read_gap\", answer, table)."))
    points = read_points(answer)  # 0.22, 22 and "22,0" all mean 22 points
    if points is None:
        return Feedback(False, tr_exercise("Give a number, not {answer!r}.", answer=answer))
    sizes = sorted({row["per_class"] for row in table})
    fewest, most = sizes[0], sizes[-1]
    gap = {n: 100 * _mean(table, "gap", n) for n in sizes}
    val = {n: 100 * _mean(table, "val_acc", n) for n in sizes}
    right = gap[fewest] - gap[most]
    if abs(points - right) <= GAP_TOLERANCE:
        return True
    if abs(points + right) <= GAP_TOLERANCE:
        return Feedback(False, tr_exercise("The size is right but the sign is not: is the gap larger with fewer "
                                           "photos or with more?"))
    for n in sizes:
        if abs(points - gap[n]) <= GAP_TOLERANCE:
            return Feedback(False, tr_exercise("That is the gap at {n} photos per class alone. The question asks "
                                               "for a difference: the gap at {fewest} minus the gap at {most}.",
                                               n=n, fewest=fewest, most=most))
    if abs(points - (val[most] - val[fewest])) <= GAP_TOLERANCE:
        return Feedback(False, tr_exercise("That is how much validation accuracy rose (the first table). The "
                                           "question is about the gap: the second table."))
    return Feedback(False, tr_exercise("Not what the table says. In the second table (the gap), take the mean at "
                                       "{fewest} per class, subtract the mean at {most} per class, and give the "
                                       "result in points (0.100 is 10 points).", fewest=fewest, most=most))

EXERCISES = {
    "01.params_per_image": Exercise(
        question="How many parameters does SmallCNN have for every training image? "
                 "(parameters / training images, to the nearest whole number)",
        judge=number(SMALLCNN_PARAMETERS / SMALL_TRAIN_IMAGES, tolerance=50),
        right="About a thousand adjustable numbers for every single image: plenty of room to store each photo's "
              "details instead of learning what the classes have in common.",
        hint="Divide tt.count_parameters(model) by len(few), the number of training images.",
    ),
    "01.memorised": Exercise(
        question="Training accuracy reaches 100 %, validation accuracy stays far below. What has the network "
                 "mostly learned? (a) what makes each animal that animal, in any photo; (b) its 100 training "
                 "photos by heart, with details that do not carry over to new photos; (c) the typical colours and "
                 "backgrounds of each animal, which carry over to new photos just as well",
        judge=choice("b"),
        right="It memorised: the training photos are all right, new photos mostly wrong. The gap between the "
              "two curves is overfitting.",
        hint="Compare the two curves: which images does it get right, and which not?",
        hints={
            "a": "If it had learned what makes a leopard a leopard, it would recognise new leopard photos too. "
                 "Does validation accuracy say so?",
            "c": "If what it learned carried over to new photos just as well, validation accuracy would be close "
                 "to training accuracy. Is it?",
        },
    ),
    "01.overfit_more": Exercise(
        question="Before running it: which run will overfit more, i.e. show the larger gap between training "
                 "and validation accuracy? (a) 5 images per class; (b) 30 images per class; (c) both the same",
        judge=choice("a"),
        right="Fewer images are easier to memorise and say less about new photos: the gap is largest at "
              "5 per class and shrinks as data grows.",
        hint="Both runs reach about 100 % on their own training images. Which one knows more about new photos?",
        hints={
            "b": "More images are harder to memorise, and they show more of the variety of each animal. "
                 "Which run will then do better on new photos?",
            "c": "Both memorise their own training images, yes. But do both do equally well on new photos?",
        },
    ),
    "01.read_gap": Exercise(
        question="Read the second table of the data-size experiment (the gap: training minus validation "
                 "accuracy). By how many percentage points is the mean gap with the fewest photos per class "
                 "larger than with the most?",
        judge=_judge_gap,
        right="That is what this run's table says. A positive number means that the gap shrank with more photos: "
              "the network still knows its training photos, but more of what it learned carries over to new ones. "
              "Compare it with the sd column: is it larger than the spread between seeds?",
        hint="In the second table, take the mean at the fewest photos per class and subtract the mean at the most.",
    ),
}
