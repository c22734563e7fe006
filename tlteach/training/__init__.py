"""Training: `fit` and its `History` (`train`), the optimiser (`optimizer`), what fit shows while it trains
(`progress`), the frozen body's features and a head trained on them (`features`), and using a trained
model: accuracy, predictions (`inference`)."""
from . import features, inference, optimizer, progress, train  # noqa: F401
