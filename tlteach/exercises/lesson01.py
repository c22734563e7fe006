"""Lesson 01: overfitting on small data."""
from .checks import Exercise, choice, number

# SmallCNN(10) has 98,970 parameters (tests/test_exercises_* check it); the small training set has 10 x 10 images.
SMALLCNN_PARAMETERS = 98_970
SMALL_TRAIN_IMAGES = 100

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
                 "photos by heart, with details that do not carry over to new photos; (c) nothing at all",
        judge=choice("b"),
        right="It memorised: the training photos are all right, new photos mostly wrong. The gap between the "
              "two curves is overfitting.",
        hint="Compare the two curves: which images does it get right, and which not?",
        hints={
            "a": "If it had learned what makes a leopard a leopard, it would recognise new leopard photos too. "
                 "Does validation accuracy say so?",
            "c": "Validation accuracy is above 10 % (guessing among 10 classes), and training accuracy is 100 %: "
                 "it has learned something. What kind of thing?",
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
}
