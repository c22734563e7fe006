"""Runs over seeds (tt.repeats), the shared cache that makes them cheap, and the fair recipes."""
import re

import pytest
import torch

import tlteach as tt


def test_mean_sd_and_percent():
    mean, sd = tt.repeats.mean_sd([0.94, 0.95, 0.93])
    assert mean == pytest.approx(0.94) and sd == pytest.approx(0.01)
    assert tt.repeats.mean_sd([0.5]) == (0.5, 0.0)
    assert tt.repeats.percent([0.94, 0.95, 0.93]) == "94.0 ± 1.0 % (n=3)"
    with pytest.raises(tt.errors.TLTeachError):
        tt.repeats.mean_sd([])


def test_t_quantiles_are_the_known_values():
    known = {1: 12.706, 2: 4.303, 4: 2.776, 9: 2.262, 19: 2.093, 29: 2.045, 30: 2.042,   # any t table
             40: 2.021, 60: 2.000, 120: 1.980, 10_000: 1.960}
    for df, value in known.items():
        assert tt.repeats.t_quantile(df) == pytest.approx(value, abs=1e-3), df
    assert 2.447 > tt.repeats.t_quantile(6.5) > 2.365      # Welch's df lies between two rows of the table
    with pytest.raises(tt.errors.TLTeachError, match="2 runs"):
        tt.repeats.t_quantile(0.5)


def _noisy(n, gain, seed=0):
    """n seeds of two arms that share each seed's luck (sd 5 points) and differ by `gain` plus a little noise."""
    gen = torch.Generator().manual_seed(seed)
    luck = 0.05 * torch.randn(n, generator=gen)
    b = 0.80 + luck
    a = b + gain + 0.01 * torch.randn(n, generator=gen)
    return a.tolist(), b.tolist()


def test_the_interval_narrows_with_more_seeds():
    widths = [(lambda d: d.high - d.low)(tt.repeats.paired(*_noisy(n, 0.01))) for n in (3, 10, 30, 100)]
    assert widths == sorted(widths, reverse=True) and widths[-1] < widths[0] / 5
    few, many = tt.repeats.paired(*_noisy(3, 0.01)), tt.repeats.paired(*_noisy(100, 0.01))
    assert few.verdict == tt.verdicts.CANNOT_TELL and few.seeds_needed > 3
    assert many.verdict == tt.verdicts.HIGHER and many.seeds_needed is None


def test_paired_sees_what_unpaired_cannot_on_correlated_runs():
    a, b = _noisy(5, 0.02)
    together, apart = tt.repeats.paired(a, b), tt.repeats.unpaired(a, b)
    assert together.mean == pytest.approx(apart.mean)
    assert together.verdict == tt.verdicts.HIGHER and together.ahead == 5 and together.behind == 0
    assert apart.verdict == tt.verdicts.CANNOT_TELL and apart.high - apart.low > 4 * (together.high - together.low)
    assert not apart.paired and apart.ahead is None and apart.sizes == (5, 5)


def test_every_verdict_is_reached():
    r = tt.repeats
    assert r.paired([0.94, 0.95, 0.93], [0.60, 0.63, 0.58]).verdict == r.HIGHER
    assert r.paired([0.60, 0.63, 0.58], [0.94, 0.95, 0.93]).verdict == r.LOWER
    same = r.paired([0.900, 0.905, 0.910, 0.902], [0.901, 0.903, 0.911, 0.900])    # within ±0.3 points
    assert same.verdict == r.NO_LARGER and same.smallest == r.SMALLEST and same.seeds_needed is None
    assert r.paired([0.900, 0.905, 0.910, 0.902], [0.901, 0.903, 0.911, 0.900], smallest=0.001).verdict == \
        r.CANNOT_TELL                                                                  # X smaller than the interval
    noisy = r.paired([0.90, 0.86, 0.94], [0.87, 0.83, 0.97])                         # +3, +3, -3 points
    assert noisy.verdict == r.CANNOT_TELL and noisy.ahead == 2 and noisy.behind == 1
    # the seeds it asks for would decide with this spread: t(n-1) sd / sqrt(n) < |mean| there, not one seed before
    n = noisy.seeds_needed
    assert r.t_quantile(n - 1) * noisy.sd / n ** 0.5 < abs(noisy.mean) <= r.t_quantile(n - 2) * noisy.sd / (n - 1) ** 0.5
    hopeless = r.paired([0.90, 0.80, 0.95], [0.80, 0.95, 0.90])                     # mean 0, spread 10 points
    assert hopeless.verdict == r.CANNOT_TELL and hopeless.seeds_needed > 10
    assert r.unpaired([0.94, 0.95, 0.93], [0.60, 0.63, 0.58, 0.61]).verdict == r.HIGHER
    with pytest.raises(tt.errors.TLTeachError, match="same seed order"):
        r.paired([0.9, 0.8, 0.7], [0.9, 0.8])
    with pytest.raises(tt.errors.TLTeachError, match="at least 2 seeds"):
        r.paired([0.9], [0.8])


def test_words_in_both_languages():
    r = tt.repeats
    higher = r.paired([0.91, 0.93, 0.92], [0.88, 0.90, 0.90])
    assert str(higher) == "+2.7 percentage points (95 % interval +1.2 to +4.1), ahead on 3 of 3 seeds: higher"
    noisy = r.paired([0.90, 0.86, 0.94], [0.87, 0.83, 0.97])
    assert noisy.words().endswith(f"ahead on 2 of 3 seeds: cannot tell — about {noisy.seeds_needed} seeds would be "
                                  "needed")
    same = r.paired([0.900, 0.905, 0.910, 0.902], [0.901, 0.903, 0.911, 0.900])
    assert same.words().endswith(": no difference larger than 2 percentage points")
    apart = r.unpaired([0.94, 0.95, 0.93], [0.60, 0.63, 0.58, 0.61])
    assert "different photos, 3 against 4 runs, unpaired" in str(apart)
    tt.i18n.set_language("ru")
    try:
        shown = [str(d) for d in (higher, noisy, same, apart)]
    finally:
        tt.i18n.set_language("en")
    assert shown[0] == "+2,7 пункта (95-процентный интервал от +1,2 до +4,1), впереди на 3 из 3 сидов: выше"
    assert f"нельзя сказать — нужно около {noisy.seeds_needed} сидов" in shown[1]
    assert shown[2].endswith("разницы больше чем на 2 пункта нет")
    assert "фото разные" in shown[3]
    assert not any(re.search(r"\d\.\d", text) for text in shown)      # a decimal comma, never a point


def test_points_takes_the_form_of_its_number():
    assert tt.repeats.points(0.01) == "1 percentage point" and tt.repeats.points(0.01, 1) == "1.0 percentage points"
    tt.i18n.set_language("ru")
    try:
        assert [tt.repeats.points(x, d) for x, d in ((0.01, 0), (0.01, 1), (0.05, 0), (-0.01, 1))] == \
            ["1 пункт", "1,0 пункта", "5 пунктов", "-1,0 пункта"]
    finally:
        tt.i18n.set_language("en")


def test_seeds_follow_tltEACH_SEED(monkeypatch):
    monkeypatch.delenv("TLTEACH_SEED", raising=False)
    assert tt.repeats.seeds(3) == [0, 1, 2]
    monkeypatch.setenv("TLTEACH_SEED", "7")
    assert tt.repeats.seeds(2) == [7, 8]
    monkeypatch.setenv("TLTEACH_SEED", "seven")
    with pytest.raises(tt.errors.TLTeachError, match="whole number"):
        tt.repeats.seeds()


def test_notebook_setup_takes_the_seed_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("TLTEACH_SEED", "5")
    tt.notebook_setup(seed=0)
    assert "seed 5" in capsys.readouterr().out
    a = torch.rand(3)
    tt.seeds.seed_everything(5)
    assert torch.equal(a, torch.rand(3))


def test_summarise_and_conclusion(capsys):
    rows = [{"strategy": s, "seed": i, "val_acc": v} for s, vs in (("a", [0.9, 0.92]), ("b", [0.5, 0.54]))
            for i, v in enumerate(vs)]
    summary = tt.repeats.summarise(rows, "strategy")
    assert summary["strategy"] == ["a", "b"] and summary["n"] == [2, 2]
    assert summary["mean"][1] == pytest.approx(0.52) and summary["lowest"][0] == 0.9
    assert tt.repeats.runs_of(rows, strategy="b") == [0.5, 0.54]
    tt.repeats.conclusion("pretrained features win")
    assert capsys.readouterr().out == "Conclusion: pretrained features win\n"
    tt.i18n.set_language("ru")
    try:
        tt.repeats.conclusion("предобученные признаки выигрывают")
    finally:
        tt.i18n.set_language("en")
    assert capsys.readouterr().out == "Вывод: предобученные признаки выигрывают\n"


def test_compare_strategies_over_seeds(tiny_ds):
    calls = []

    def strategy(seed):
        calls.append(seed)
        model = tt.SmallCNN(3, width=8, seed=seed)
        return model, tt.fit(model, tt.small_subset(tiny_ds, 2, seed=seed), tiny_ds, epochs=1, seed=seed, live=False)

    results = tt.experiments.compare_strategies({"a": strategy, "b": strategy}, seeds=[3, 4], live=False)
    assert calls == [3, 4, 3, 4] and results["seed"] == [3, 4, 3, 4]
    assert results["strategy"] == ["a", "a", "b", "b"]
    assert results.summary()["n"] == [2, 2]
    assert results.runs("a") == results.runs("b")  # the same seed gives the same run
    fig = tt.viz.plot_strategies(results)
    dots = [c for c in fig.axes[0].collections if c.get_offsets().shape[0] == 2]
    assert len(dots) == 2  # the runs of each strategy, as dots


# ----------------------------------------------------------------------------- the shared cache
def test_frozen_activations_are_shared_by_subsets_and_copies(tiny_ds):
    import copy

    model = tt.freeze(tt.SmallCNN(3, width=8, seed=0), up_to=2)
    subset = tt.small_subset(tiny_ds, 2, seed=1)
    assert subset.parent is tiny_ds and torch.equal(tiny_ds.images[subset.index], subset.images)
    direct = tt.freezing._compute(model, subset, 2, 64)
    shared = tt.freezing.frozen_activations(copy.deepcopy(model), subset, 2)
    assert torch.allclose(direct, shared, atol=1e-6)
    key_count = len(tt.freezing._SHARED)
    tt.freezing.frozen_activations(model, tt.small_subset(tiny_ds, 3, seed=2), 2)  # another subset: no new entry
    assert len(tt.freezing._SHARED) == key_count
    with torch.no_grad():
        model.block1[0].weight.add_(1.0)  # changed weights: computed anew
    changed = tt.freezing.frozen_activations(model, subset, 2)
    assert not torch.allclose(changed, shared)


def test_resized_subset_is_the_subset_of_the_resized_set(tiny_ds):
    small = tt.data.resized(tt.small_subset(tiny_ds, 2, seed=0), 16)
    whole = tt.data.resized(tiny_ds, 16)
    assert small.image_size == (16, 16) and torch.equal(whole.images[small.index], small.images)
    assert tt.data.resized(whole, 16) is whole


# ----------------------------------------------------------------------------- the recipes
@pytest.mark.slow
def test_fine_tuning_recipe_keeps_batchnorm_and_lowers_the_body_lr(monkeypatch, animals_train, animals_val):
    seen = {}
    real_fit = tt.train.fit

    def spy(model, train, val=None, **kwargs):
        seen.update(kwargs, frozen=tt.freezing.frozen_prefix(model),
                    bn_training=[bn.training for bn in tt.freezing.batchnorms(model)])
        return real_fit(model, train, val, **kwargs)

    monkeypatch.setattr(tt.recipes, "fit", spy)
    few = tt.small_subset(animals_train, 1, seed=0)
    model, history = tt.recipes.fine_tuning(few, animals_val, seed=0, frozen="stage6",
                                            recipe=tt.recipes.FINE_TUNING.but(steps=2, head_steps=1))
    assert seen["frozen"] == tt.models.group_names(model).index("stage7")
    assert seen["body_lr"] == tt.recipes.FINE_TUNING.body_lr
    assert not any(seen["bn_training"])  # BatchNorm keeps ImageNet's statistics
    assert history.rows[-1]["val_acc"] is not None and len(history) == 1 + 2  # 10 photos: one batch per epoch


def test_plot_difference_draws_the_seeds_the_interval_and_zero():
    a, b = [0.62, 0.58, 0.66], [0.55, 0.55, 0.56]
    found = tt.repeats.paired(a, b)
    fig = tt.viz.plot_difference([x - y for x, y in zip(a, b)], found, seeds=[4, 5, 6])
    ax = fig.axes[0]
    dots = ax.collections[0].get_offsets()
    assert list(dots[:, 0]) == pytest.approx([7.0, 3.0, 10.0])                         # one dot per seed, in points
    interval = next(line for line in ax.lines if line.get_linewidth() == 5)           # the thick bar
    assert list(interval.get_xdata()) == pytest.approx([100 * found.low, 100 * found.high])
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.lines)                 # zero marked
    assert [t.get_text() for t in ax.get_yticklabels()][:3] == ["seed 4", "seed 5", "seed 6"]
    assert "cannot tell" in ax.get_title()
    with pytest.raises(tt.errors.TLTeachError, match="paired"):
        tt.viz.plot_difference([0.1, 0.2, 0.3], tt.repeats.unpaired(a, b))


def test_a_seed_with_the_same_accuracy_is_a_tie_not_ahead():
    """0.1 + 0.2 is 0.30000000000000004: the same accuracy computed two ways must not count as 'ahead' (issue 27)."""
    found = tt.repeats.paired([0.1 + 0.2, 0.5, 0.7], [0.3, 0.4, 0.6])
    assert (found.ahead, found.behind, found.n) == (2, 0, 3)
    assert tt.repeats.paired([0.3, 0.4, 0.6], [0.1 + 0.2, 0.5, 0.7]).behind == 2
