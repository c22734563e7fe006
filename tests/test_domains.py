"""Domain shifts (tt.domains) and BatchNorm re-estimation (tt.adaptation), lesson 06."""
import copy

import pytest
import torch

import tlteach as tt
from tlteach.data import ImageDataset
from tlteach.errors import TLTeachError


@pytest.fixture
def photos():
    gen = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (6, 3, 64, 64), generator=gen, dtype=torch.uint8)
    return ImageDataset(images, torch.tensor([0, 0, 0, 1, 1, 1]), ["a", "b"], name="animals", split="val")


def test_camera_is_grey_blurred_and_deterministic(photos):
    a = tt.domains.security_camera(photos, seed=3)
    b = tt.domains.security_camera(photos, seed=3)
    assert torch.equal(a.images, b.images) and torch.equal(a.labels, photos.labels)
    assert a.images.shape == photos.images.shape and a.classes == photos.classes
    assert torch.equal(a.images[:, 0], a.images[:, 1]) and torch.equal(a.images[:, 1], a.images[:, 2])  # grey
    assert not torch.equal(a.images, tt.domains.security_camera(photos, seed=4).images)  # the noise is seeded
    quiet = tt.domains.security_camera(photos, noise=0.0, resolution=8).images.float()
    assert quiet.diff(dim=3).abs().mean() < photos.images.float().diff(dim=3).abs().mean() / 2  # detail lost


def test_sketch_is_white_where_nothing_changes():
    flat = ImageDataset(torch.full((1, 3, 16, 16), 120, dtype=torch.uint8), torch.tensor([0]), ["a"])
    assert (tt.domains.sketch(flat).images == 255).all()
    edge = flat.images.clone()
    edge[..., 8:] = 0
    lines = tt.domains.sketch(ImageDataset(edge, torch.tensor([0]), ["a"])).images
    assert lines[0, 0, :, 7:9].float().mean() < 128 and (lines[0, 0, :, :5] == 255).all()


def test_shift_by_name_and_bad_names(photos):
    assert torch.equal(tt.domains.shift(photos, "sketch").images, tt.domains.sketch(photos).images)
    with pytest.raises(TLTeachError, match="security camera"):
        tt.domains.shift(photos, "fisheye")
    with pytest.raises(TLTeachError, match="resolution"):
        tt.domains.security_camera(photos, resolution=1000)


def test_reestimate_batchnorm_changes_statistics_not_weights(photos):
    model = tt.load_backbone("efficientnet_lite0", pretrained=False)
    before = copy.deepcopy(model.state_dict())
    adapted = tt.adaptation.reestimate_batchnorm(model, photos)
    after = adapted.state_dict()
    assert all(torch.equal(before[k], model.state_dict()[k]) for k in before)  # the original is untouched
    stats = [k for k in after if k.endswith("running_mean")]
    weights = [k for k in after if k.endswith(".weight")]
    assert any(not torch.equal(before[k], after[k]) for k in stats)
    assert all(torch.equal(before[k], after[k]) for k in weights)
    assert not adapted.training and all(not bn.training for bn in tt.freezing.batchnorms(adapted))
    assert all(bn.momentum is not None for bn in tt.freezing.batchnorms(adapted))  # restored


def test_reestimate_only_early_groups(photos):
    model = tt.load_backbone("efficientnet_lite0", pretrained=False)
    adapted = tt.adaptation.reestimate_batchnorm(model, photos, up_to="stem")
    groups = tt.models.layer_groups(adapted)
    changed = {name for name, g in groups.items()
               for bn in tt.freezing.batchnorms(g) if not torch.equal(bn.running_mean, torch.zeros_like(bn.running_mean))}
    assert "stem" in changed
    late = tt.freezing.batchnorms(list(groups.values())[-2])
    late_before = tt.freezing.batchnorms(list(tt.models.layer_groups(model).values())[-2])
    assert all(torch.equal(a.running_var, b.running_var) for a, b in zip(late, late_before))


def test_reestimate_needs_images():
    with pytest.raises(TLTeachError, match="dataset"):
        tt.adaptation.reestimate_batchnorm(tt.SmallCNN(2), [1, 2, 3])


def test_mixed_puts_both_domains_in_every_batch(photos):
    clean = ImageDataset(photos.images.repeat(4, 1, 1, 1), photos.labels.repeat(4), photos.classes, name="animals")
    sketches = tt.domains.sketch(clean)
    few = tt.small_subset(sketches, 1, seed=0)  # 1 labelled photo per class of the new domain
    both = tt.adaptation.mixed(clean, few)
    assert len(both) == 2 * len(clean) and both.classes == clean.classes
    new = both.index >= len(clean)  # positions in the set that holds the two whole sets
    assert int(new.sum()) == len(clean)  # the new domain's photos repeated until they are half of the set
    assert torch.equal(both.images[~new], clean.images) and torch.equal(both.labels[~new], clean.labels)
    assert all(any(torch.equal(image, shifted) for shifted in few.images) for image in both.images[new])
    assert torch.equal(both.labels[new], few.labels.repeat(len(clean) // len(few)))  # each photo keeps its label
    order = torch.randperm(len(both), generator=torch.Generator().manual_seed(0))
    batches = [new[order[i:i + 16]] for i in range(0, len(both), 16)]
    assert all(b.any() and not b.all() for b in batches)  # random batches of 16 mix the two domains
    assert tt.adaptation.mixed(clean, tt.small_subset(sketches, 1, seed=1)).parent is both.parent  # one feature cache
    assert len(tt.adaptation.mixed(clean, few, share=0.25)) == len(clean) + round(len(clean) / 3 / len(few)) * len(few)


def test_mixed_refuses_what_cannot_mix(photos):
    other = ImageDataset(photos.images, photos.labels, ["x", "y"])
    with pytest.raises(TLTeachError, match="same classes"):
        tt.adaptation.mixed(photos, other)
    with pytest.raises(TLTeachError, match="share"):
        tt.adaptation.mixed(photos, photos, share=1.0)
    with pytest.raises(TLTeachError, match="datasets of images"):
        tt.adaptation.mixed(photos, [1, 2])
