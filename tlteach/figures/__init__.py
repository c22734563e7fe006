"""Figures for the lessons, readable on a projector (big fonts, titles, class names); `tt.viz` in the lessons.

    >>> tt.show_images(train, per_class=True)       # one photo of every class
    >>> tt.show_filters(tt.load_backbone())         # the first layer's 32 filters

One module per kind of figure: `images` (photos and predictions), `curves` (learning curves), `inside`
(filters, feature maps, embeddings), `results` (experiments), `transfer` (the four steps), `text` (lesson 07), all drawn in one
`style`. Every function returns a matplotlib Figure. In Jupyter it appears when the call is the last line of a
cell; elsewhere, `fig.savefig("name.png")`. The figure is not kept open in pyplot, so it is never shown twice.

Training knows nothing of the figures: importing this package hands `plot_history` and its live drawer
(`curves.LiveCurves`) to `tt.fit` (`tlteach.training.progress.use_curves`).
"""
from ..training.progress import use_curves
from . import curves, images, inside, results, step_size, style, text, transfer  # noqa: F401
from .step_size import plot_runs, plot_step_sizes
from .curves import plot_history
from .images import show_domains, show_images, show_predictions
from .inside import plot_embedding, show_feature_maps, show_filter_response, show_filters
from .results import (BEYOND_ROWS, plot_beyond, plot_confusion, plot_data_curve, plot_difference,
                      plot_learning_rates, plot_strategies, plot_sweep)
from .style import FONT, FROZEN_COLOR, PARTLY_COLOR, PRETRAINED_COLOR, TITLE_FONT, TRAINABLE_COLOR, to_numpy_image
from .transfer import plot_transfer_steps
from .text import plot_crosslingual, plot_finetuning, plot_sentences

__all__ = ["plot_history", "show_domains", "show_images", "show_predictions", "plot_embedding", "show_feature_maps",
           "show_filter_response", "show_filters", "BEYOND_ROWS", "plot_beyond", "plot_confusion", "plot_data_curve",
           "plot_difference", "plot_strategies", "plot_sweep", "plot_learning_rates", "plot_runs", "plot_step_sizes",
           "FONT", "FROZEN_COLOR", "PARTLY_COLOR", "PRETRAINED_COLOR", "TITLE_FONT",
           "TRAINABLE_COLOR", "to_numpy_image", "plot_transfer_steps", "plot_sentences", "plot_crosslingual",
           "plot_finetuning"]

use_curves(plot_history, curves.LiveCurves)
