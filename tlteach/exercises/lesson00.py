"""Lesson 00: the 90-minute lesson (the class predicts before the consolidation experiment runs)."""
from .checks import Exercise, choice

EXERCISES = {
    "00.prediction": Exercise(
        question="Before running it: 10 photos per class, 3 seeds. How will a small network trained from scratch "
                 "compare with feature extraction (a new head on the frozen pretrained body)? (a) from scratch gets "
                 "more new photos right; (b) feature extraction gets more right, by far more than the spread between "
                 "seeds; (c) 3 seeds cannot tell the two apart",
        judge=choice("b"),
        right="The pretrained body already knows edges, textures and parts of animals from 1.2 million photos; "
              "the new head only has to learn which combination means which animal. From scratch, 100 photos "
              "must teach everything, and the network memorises them instead.",
        hint="Think of the person who knows English and learns Spanish: who starts from zero here?",
        hints={
            "a": "The network from scratch learns its 100 training photos by heart (the overfitting at the start of "
                 "the lesson). Does that help it on new photos?",
            "c": "With 10 photos per class, is there enough to learn edges, textures and parts from nothing?",
        },
    ),
}
