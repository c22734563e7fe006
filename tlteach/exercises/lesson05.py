"""Lesson 05: feature extraction vs fine-tuning."""
from .checks import Exercise, choice

EXERCISES = {
    "05.small_lr": Exercise(
        question="When fine-tuning, the unfrozen stages learn with a 10x smaller learning rate than the head did. "
                 "Why? (a) to make training faster; (b) so the pretrained weights are adjusted gently instead of "
                 "being overwritten by large steps from a few hundred photos; (c) because those stages have more "
                 "parameters, and the learning rate must shrink with the number of parameters",
        judge=choice("b"),
        right="The pretrained weights are already good. Small steps adapt them a little to our animals; large "
              "steps driven by 300 photos would wipe out what 1.2 million ImageNet photos taught them.",
        hint="What do the unfrozen stages already know, and what could large weight updates do to it?",
        hints={
            "a": "A smaller learning rate makes the weights change more slowly, not faster. What is worth "
                 "changing slowly?",
            "c": "The learning rate is not tied to the number of parameters here. What is special about the "
                 "values these weights already have?",
        },
    ),
    "05.batchnorm": Exercise(
        question="Our fine-tuning recipe calls tt.freezing.freeze_batchnorm(model): the BatchNorm layers keep the mean and "
                 "variance they measured on ImageNet. Why not let them update? (a) the mean and variance of a "
                 "batch of 16 photos are noisy, and replacing ImageNet's statistics with them shifts the features "
                 "the head was trained on; (b) BatchNorm layers have no parameters; (c) updating them would make "
                 "each epoch much slower",
        judge=choice("a"),
        right="Each BatchNorm layer normalises with statistics estimated on ImageNet's 1.2 million photos. "
              "Estimates from batches of 16 of our photos are noisy and different, so the features the head "
              "learned to read would move under its feet.",
        hint="A BatchNorm layer in training mode normalises each batch with that batch's own mean and variance. "
             "How reliable is a mean over 16 photos?",
        hints={
            "b": "They do: a scale and a shift per channel, and they also keep running statistics. "
                 "What happens to those statistics in training mode?",
            "c": "Updating a mean and a variance costs almost nothing. The reason is about accuracy, not speed.",
        },
    ),
    "05.which_strategy": Exercise(
        question="A vet wants to sort photos of 5 dog breeds. She has 40 photos per breed, a laptop without a GPU, "
                 "and wants an answer in a minute. Dogs are well covered by ImageNet. Which strategy would you "
                 "start with? (a) train a network from scratch; (b) feature extraction; (c) fine-tune every layer "
                 "of the pretrained network",
        judge=choice("b"),
        right="Little data, a task close to ImageNet and little compute: feature extraction. The frozen body "
              "runs once per photo, the head trains in a second, and there is little to overfit. Fine-tuning "
              "can come later if the accuracy is not good enough.",
        hint="Look at the comparison table: which strategy was fast, needed the fewest trainable parameters and "
             "still did well on a task close to ImageNet?",
        hints={
            "a": "From scratch with 40 photos per class: remember lesson 1 and the first row of the table.",
            "c": "Fine-tuning every layer is the slowest option: in lesson 04's table the whole body learning took "
                 "dozens of times as long as feature extraction, and on our animals it did not beat it. Is it the "
                 "best place to start on a laptop?",
        },
    ),
}
