"""Lesson 07: transfer learning with text (zero-shot from descriptions, cross-lingual transfer, fine-tuning)."""
from ..i18n import number, tr_exercise
from ..text.classify import accuracy, zero_shot
from .checks import Exercise, Feedback, read_points

DESCRIBE_TARGET = 0.85  # the share of the test e-mails a student's descriptions must get right
READ_K = 10  # the exercise reads the gap at 10 Russian reviews per class
READ_TOLERANCE = 1.5  # percentage points (an answer read off the printed lines, rounded)
LESSON_DESCRIPTIONS = ("a refund request", "a complaint about quality", "a question about a product")


def _judge_descriptions(answer, texts=None, labels=None):
    """07.describe: the student's descriptions (one per class) must classify the test e-mails well."""
    if texts is None or labels is None:
        return Feedback(False, tr_exercise("Give the e-mails too: tt.check(\"07.describe\", my_descriptions, texts, "
                                           "labels)."))
    if not isinstance(answer, (list, tuple)) or len(answer) != 3 or \
            not all(isinstance(d, str) and d.strip() for d in answer):
        return Feedback(False, tr_exercise("Give a list of three descriptions in quotes, one per class, in the order "
                                           "refund request, quality complaint, product question."))
    if tuple(d.strip().lower() for d in answer) == LESSON_DESCRIPTIONS:
        return Feedback(False, tr_exercise("Those are the lesson's own descriptions: write your own."))
    acc = accuracy(zero_shot(list(texts), list(answer)), labels)
    if acc >= DESCRIBE_TARGET:
        return Feedback(True, tr_exercise(
            "Your descriptions get {acc} % of the e-mails right, with no training at all. A description that reads "
            "like an e-mail of its class (what the customer writes, not the name of the class) lands nearer to those "
            "e-mails.", acc=number(100 * acc, 1)))
    return Feedback(False, tr_exercise(
        "Your descriptions get {acc} % of the e-mails right; aim for {target} %. Write each one as a customer would "
        "write such an e-mail, with the words they use (money back, broken, does it fit ...).",
        acc=number(100 * acc, 1), target=number(100 * DESCRIBE_TARGET)))


def _judge_read(answer, runs=None):
    """07.read_transfer: the mean gap, in points, between the English-only head and the heads on 10 Russian reviews."""
    if runs is None:
        return Feedback(False, tr_exercise("Give the runs too: tt.check(\"07.read_transfer\", answer, transfer)."))
    points = read_points(answer)  # 0.22, 22 and "22,0" all mean 22 points
    if points is None:
        return Feedback(False, tr_exercise("Give a number, not {answer!r}.", answer=answer))
    english = [r["test_acc"] for r in runs if r["k"] == 0]  # the English-only head: no Russian review (its k is 0)
    russian = [r["test_acc"] for r in runs if r["k"] == READ_K]
    if not english or not russian:
        return Feedback(False, tr_exercise("Give the runs of tt.text.crosslingual with k={k} among the ks.", k=READ_K))
    gap = 100 * (sum(english) / len(english) - sum(russian) / len(russian))
    if abs(points - gap) <= READ_TOLERANCE:
        return True
    if abs(points + gap) <= READ_TOLERANCE:
        return Feedback(False, tr_exercise("The size is right but the sign is not: which head is ahead?"))
    if abs(points - 100 * sum(russian) / len(russian)) <= READ_TOLERANCE:
        return Feedback(False, tr_exercise("That is the accuracy of the heads on {k} Russian reviews alone. The question "
                                           "asks for a difference: English only minus them.", k=READ_K))
    return Feedback(False, tr_exercise("Not what the runs say. Take the line for k = {k}: its mean difference, in "
                                       "percentage points (0.10 is 10 points).", k=READ_K))


EXERCISES = {
    "07.describe": Exercise(
        question="Write three descriptions of your own, one per class (refund request, quality complaint, product "
                 "question), in English or in Russian, that sort at least 85 % of the Russian test e-mails right.",
        judge=_judge_descriptions,
        right="Your descriptions sort the e-mails with no training at all.",
        hint="Write each description as a customer would write such an e-mail.",
    ),
    "07.read_transfer": Exercise(
        question="Read the comparison lines of the cross-lingual experiment. By how many percentage points is the "
                 "head trained on English reviews only ahead of the heads trained on 10 Russian reviews per class "
                 "(the mean difference over the seeds)?",
        judge=_judge_read,
        right="That is what these runs say. Look at its interval too: when it does not include 0 the English "
              "labels are worth more than 10 Russian reviews per class here, on every seed that the interval "
              "summarises.",
        hint="Take the line for k = 10: its mean difference, in percentage points.",
    ),
}
