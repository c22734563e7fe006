"""Lesson 06's figures: the cameras side by side, and transfer beyond images (both languages)."""
import pytest

import tlteach as tt
from tlteach import viz
from tlteach.errors import TLTeachError


def texts(fig) -> list:
    return [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")) if t.get_text()]


def test_show_domains_one_row_per_domain(animals_val):
    shifted = {"security camera": tt.domains.security_camera(animals_val), "sketch": tt.domains.sketch(animals_val)}
    fig = viz.show_domains(animals_val, shifted, n=4)
    assert len([ax for ax in fig.axes if ax.images]) == 3 * 4
    assert {"original", "security camera", "sketch"} <= set(texts(fig))
    assert fig.get_size_inches()[1] * 90 <= 1080


def test_show_domains_rejects_other_photos(animals_val):
    with pytest.raises(TLTeachError, match="same photos"):
        viz.show_domains(animals_val, {"sketch": tt.small_subset(animals_val, 2)})
    with pytest.raises(TLTeachError, match="dict"):
        viz.show_domains(animals_val, [])


def test_figures_in_russian(animals_val):
    tt.i18n.set_language("ru")
    try:
        words = texts(viz.plot_beyond()) + texts(viz.show_domains(animals_val, {"sketch": tt.domains.sketch(animals_val)}))
    finally:
        tt.i18n.set_language("en")
    assert "речь" in words and "набросок" in words and "оригинал" in words
    latin = [w for w in words if any("a" <= ch.lower() <= "z" for ch in w) and "ImageNet" not in w]
    assert latin == []
