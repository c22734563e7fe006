"""Zero-shot classification through the ImageNet head and a class mapping (lesson 06)."""
import pytest
import torch

import tlteach as tt
from tlteach.models.backbones import imagenet_classes
from tlteach.data import ImageDataset
from tlteach.errors import TLTeachError


def test_every_animal_maps_to_real_imagenet_classes():
    for animal, names in tt.zeroshot.ANIMALS.items():
        for name in names:
            assert imagenet_classes()[tt.zeroshot.imagenet_index(name)] == name


def test_unknown_imagenet_name_suggests_close_ones():
    with pytest.raises(TLTeachError, match="wallaby"):
        tt.zeroshot.imagenet_index("walaby")
    assert tt.zeroshot.imagenet_index(104) == 104


def test_a_class_without_mapping_is_an_error(animals_val):
    mapping = dict(tt.zeroshot.ANIMALS)
    del mapping["emu"]
    with pytest.raises(TLTeachError, match="emu"):
        tt.zeroshot.accuracy(tt.recipes.pretrained_backbone(), animals_val, mapping)


def test_scores_sum_the_mapped_probabilities():
    """A fake body-less model: features are one-hot ImageNet scores, so the mapping alone decides."""
    model = tt.load_backbone("efficientnet_lite0", pretrained=False)
    images = torch.zeros(2, 3, 32, 32, dtype=torch.uint8)
    ds = ImageDataset(images, torch.tensor([0, 1]), ["kangaroo", "emu"])
    head = tt.models.get_head(model)
    with torch.no_grad():  # the head ignores its input and prefers "ostrich" (emu)
        head.weight.zero_()
        head.bias.zero_()
        head.bias[tt.zeroshot.imagenet_index("ostrich")] = 10.0
    mapping = {"kangaroo": ["wallaby"], "emu": ["ostrich"]}
    assert tt.zeroshot.predict(model, ds, mapping).tolist() == [1, 1]
    result = tt.zeroshot.accuracy(model, ds, mapping)
    assert result["accuracy"] == 0.5 and result["per_class"] == {"kangaroo": 0.0, "emu": 1.0}


def test_zero_shot_needs_the_imagenet_head(animals_val):
    model = tt.replace_head(tt.load_backbone("efficientnet_lite0", pretrained=False), 10)
    with pytest.raises(TLTeachError, match="1000"):
        tt.zeroshot.scores(model, animals_val, tt.zeroshot.ANIMALS)


def test_mapping_table_shows_each_class_and_accuracy():
    table = tt.zeroshot.mapping_table(tt.zeroshot.ANIMALS, {"per_class": {"emu": 0.5}})
    assert len(table) == 10 and "accuracy" in table.columns
    assert [r for r in table if r["our class"] == "emu"][0]["accuracy"] == "50 %"


def test_report_top_guesses_names_the_hits_and_the_misses(capsys):
    """Lessons 00 and 02: of our animals ImageNet has, which the top guesses name, and what they said instead."""
    classes = list(tt.zeroshot.ANIMALS)
    guesses = {c: tt.zeroshot.ANIMALS[c][0] for c in classes}  # every top guess right ...
    guesses["leopard"] = "tabby"                                # ... but the leopard's
    tt.zeroshot.report_top_guesses([guesses[c] for c in classes], classes)
    first, second = capsys.readouterr().out.splitlines()
    assert "ImageNet has 5 of our animals" in first and "names 4 of them" in first and "leopard" not in first
    assert second.startswith("It misses 1") and "leopard (tabby)" in second
